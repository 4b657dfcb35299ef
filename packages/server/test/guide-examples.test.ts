/**
 * The curl commands of the hosted product's getting-started guide, run with the real curl
 * against our server with only the base URL changed, answer as the guide says.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const run = promisify(execFile);

const GUIDE_EVENTS = [
  `{
    "specversion": "1.0",
    "type": "deployment",
    "source": "BE",
    "time": "NOW"
  }`,
  `{
    "specversion": "1.0",
    "type": "deployment",
    "source": "BE",
    "time": "NOW",
    "subject": "PRODUCTION",
    "severity": "MAJOR",
    "version": "2.4.0",
    "data": {
      "description": "Quarterly release with new checkout flow and payment provider migration",
      "ticket": "JIRA-1234"
    }
  }`,
  `{
    "specversion": "1.0",
    "type": "deployment",
    "source": "FE",
    "time": "NOW",
    "subject": "STAGING",
    "version": "1.8.0",
    "data": {
      "description": "Updated landing page with new hero section"
    }
  }`,
  `{
    "specversion": "1.0",
    "type": "db-migration",
    "source": "DB",
    "time": "NOW",
    "subject": "PRODUCTION",
    "severity": "MAJOR",
    "data": {
      "description": "Added indexes on orders table for reporting queries"
    }
  }`,
  `{
    "specversion": "1.0",
    "type": "cache-purge",
    "source": "CACHE",
    "time": "NOW",
    "subject": "PRODUCTION",
    "severity": "LOW"
  }`,
];

describe('the getting-started guide, with curl', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  it('stores each example event and lists them back', async () => {
    for (const body of GUIDE_EVENTS) {
      const { stdout } = await run('curl', [
        '-s',
        '-X',
        'POST',
        `${server.url}/api/v1/events`,
        '-H',
        `Authorization: Bearer ${key}`,
        '-H',
        'Content-Type: application/json',
        '-d',
        body,
      ]);
      const answer = JSON.parse(stdout) as { success: boolean; data: Record<string, unknown> };
      expect(answer.success).toBe(true);
      const sent = JSON.parse(body) as Record<string, unknown>;
      expect(answer.data).toMatchObject({ ...sent, time: expect.stringMatching(/Z$/) });
    }
    const { stdout } = await run('curl', [
      '-s',
      `${server.url}/api/v1/events?limit=10`,
      '-H',
      `Authorization: Bearer ${key}`,
    ]);
    const types = (JSON.parse(stdout) as { data: { events: { type: string }[] } }).data.events.map(
      (e) => e.type,
    );
    expect(types.sort()).toEqual(['cache-purge', 'db-migration', 'deployment', 'deployment', 'deployment']);
  });

  it('answers the documented errors: a bare datetime says the timezone is missing, a wrong key is 401', async () => {
    const bare = await run('curl', [
      '-s',
      '-X',
      'POST',
      `${server.url}/api/v1/events`,
      '-H',
      `Authorization: Bearer ${key}`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"specversion":"1.0","type":"deployment","source":"BE","time":"2025-01-15T14:30:00"}',
    ]);
    expect(JSON.parse(bare.stdout)).toMatchObject({
      success: false,
      code: 'VALIDATION_ERROR',
      error: expect.stringMatching(/timezone is missing/),
    });
    const wrong = await run('curl', [
      '-s',
      '-w',
      '\n%{http_code}',
      `${server.url}/api/v1/events`,
      '-H',
      'Authorization: Bearer YOUR_API_KEY',
    ]);
    const [json, status] = wrong.stdout.split('\n');
    expect(status).toBe('401');
    expect(JSON.parse(json as string)).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });
});
