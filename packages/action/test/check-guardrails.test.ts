/**
 * `check-guardrails: true`, run as the runner runs the committed bundle, against a real server:
 * during a production freeze the step fails with the rule and reason and sends nothing; where no
 * rule applies it sends the event; without the input the event is sent even during the freeze
 * (the server only advises).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opstrails-action-guardrails-'));

function runAction(
  inputs: Record<string, string>,
): Promise<{ code: number | null; stdout: string; outputs: string }> {
  const outputFile = join(dir, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'acme/api',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, outputs: readFileSync(outputFile, 'utf8') })),
  );
}

describe('action with check-guardrails', () => {
  let server: TestServer;
  let key: string;
  const count = async () =>
    (
      (await (await server.api('/api/v1/events?limit=1000', { key })).json()) as {
        data: { events: unknown[] };
      }
    ).data.events.length;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    key = await server.key('READ_WRITE');
    const res = await server.api('/api/v1/guardrails/freezes', {
      method: 'POST',
      key: await server.key('ADMIN'),
      body: JSON.stringify({
        name: 'Holiday Freeze',
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        subjects: ['PRODUCTION'],
      }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => server.close());

  it('fails the step with the rule and the reason, and sends nothing, when a rule would be broken', async () => {
    const run = await runAction({
      'api-key': key,
      'api-url': server.url,
      type: 'deployment',
      subject: 'PRODUCTION',
      'check-guardrails': 'true',
    });
    expect(run.code).toBe(1);
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
    expect(error).toContain(
      'OpsTrails guardrails: a deployment of //github.com/acme/api to PRODUCTION now would break 1 rule; not sent',
    );
    expect(error).toContain(
      '%0A- Holiday Freeze (FREEZE): deployment of //github.com/acme/api to PRODUCTION at',
    );
    expect(await count()).toBe(0);
  });

  it('sends the event when no rule applies, and without the input whatever the rules say', async () => {
    const staging = await runAction({
      'api-key': key,
      'api-url': server.url,
      type: 'deployment',
      subject: 'STAGING',
      'check-guardrails': 'true',
    });
    expect(staging.code).toBe(0);
    expect(staging.stdout).toContain('OpsTrails: no guardrail would be broken');
    const unchecked = await runAction({
      'api-key': key,
      'api-url': server.url,
      type: 'deployment',
      subject: 'PRODUCTION',
    });
    expect(unchecked.code).toBe(0);
    expect(await count()).toBe(2);
  });
});
