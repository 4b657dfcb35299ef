/** `sendMetrics` against a real server: points stored (Dates, Unix seconds), bad ones refused by index. */

import { OpsTrailsClient, ValidationError } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

describe('sendMetrics', () => {
  let server: TestServer;
  let client: OpsTrailsClient;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    client = new OpsTrailsClient({ apiKey: await server.key('READ_WRITE'), baseUrl: server.url });
  });
  afterAll(() => server.close());

  it('stores points and names each refused one by index', async () => {
    // Yesterday 12:00 UTC: inside the raw retention, so a roll-up during the test changes nothing.
    const t = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 12 * 3_600_000;
    const at = (ms: number) => new Date(ms).toISOString();
    const result = await client.sendMetrics([
      { metric: 'error_rate', subject: 'PRODUCTION', time: new Date(t), value: 0.5 },
      { metric: 'error_rate', subject: 'PRODUCTION', source: 'api', time: t / 1000, value: 2 },
      { metric: 'error rate', subject: 'PRODUCTION', time: 'NOW', value: 1 },
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([
      { index: 2, error: expect.stringMatching(/^metric: /), code: 'VALIDATION_ERROR' },
    ]);
    const reader = await server.key('READ_ONLY');
    const res = await server.api(
      `/api/v1/metrics/series?metric=error_rate&subject=PRODUCTION&from=${at(t)}&to=${at(t + 60_000)}`,
      { key: reader },
    );
    expect(((await res.json()) as { data: { points: unknown[] } }).data.points).toEqual([
      { time: at(t), value: 0.5 },
    ]);
  });

  it('throws a ValidationError for an empty list', async () => {
    await expect(client.sendMetrics([])).rejects.toBeInstanceOf(ValidationError);
  });
});
