/**
 * The committed action bundle, run as the runner runs it (INPUT_* variables, a GITHUB_OUTPUT
 * file, node20) against a real server; and a check that the bundle matches its sources.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAddingProxy, startFaultProxy } from '../../../test-support/fault-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { bundleAction } from '../scripts/build.js';

const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opstrails-action-'));

interface Run {
  code: number | null;
  stdout: string;
  outputs: string;
}

/** Starts the bundle like the runner: inputs as INPUT_<NAME> with hyphens kept, outputs to a file. */
function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Run> {
  const outputFile = join(dir, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_OUTPUT: outputFile, ...extraEnv };
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

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[match[1] as string] = match[3] as string;
  return outputs;
}

describe('action bundle', () => {
  it('is up to date with its sources (rebuild: npm run build -w @opstrails/action)', async () => {
    const fresh = join(dir, 'index.js');
    await bundleAction(fresh);
    const upToDate = readFileSync(ENTRY, 'utf8') === readFileSync(fresh, 'utf8');
    expect(upToDate, 'packages/action/dist/index.js is stale: run npm run build -w @opstrails/action').toBe(
      true,
    );
  });

  it('declares the hosted action inputs and outputs and runs on node20', () => {
    const yml = readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8');
    for (const input of [
      'api-key',
      'type',
      'subject',
      'version',
      'description',
      'source',
      'severity',
      'data',
      'api-url',
    ]) {
      expect(yml).toContain(`\n  ${input}:\n`);
    }
    expect(yml).toMatch(/\n {2}api-key:\n.*\n {4}required: true/);
    expect(yml).toMatch(/\n {2}type:\n.*\n {4}required: true/);
    expect(yml).toContain('\n  event-id:\n');
    expect(yml).toContain('\n  event-time:\n');
    expect(yml).toMatch(/runs:\n {2}using: node20\n {2}main: dist\/index\.js/);
  });
});

describe.each(ENGINES)('action against a real server on %s', (engine) => {
  let server: TestServer;
  let key: string;
  let reader: OpsTrailsClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
    reader = new OpsTrailsClient({ apiKey: key, baseUrl: server.url });
  });
  afterAll(() => server.close());

  it('sends the event with time NOW, masks the key and sets the outputs', async () => {
    const before = Date.now();
    const run = await runAction(
      {
        'api-key': key,
        'api-url': server.url,
        type: 'deployment',
        subject: 'PRODUCTION',
        version: 'v2.4.1',
        severity: 'MINOR',
        description: 'New checkout flow',
        data: '{"pr": 42, "sha": "abc123"}',
      },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${key}`);
    const outputs = parseOutputs(run.outputs);
    const stored = await reader.getEvent(outputs['event-id'] as string);
    expect(outputs['event-time']).toBe(stored.time);
    expect(Date.parse(stored.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(stored).toMatchObject({
      type: 'deployment',
      source: '//github.com/acme/api',
      subject: 'PRODUCTION',
      version: 'v2.4.1',
      severity: 'MINOR',
      data: { description: 'New checkout flow', pr: 42, sha: 'abc123' },
    });
  });

  it('uses the source input over the repository', async () => {
    const run = await runAction(
      { 'api-key': key, 'api-url': `${server.url}/`, type: 'rollback', source: 'BE' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(run.code).toBe(0);
    expect((await reader.getEvent(parseOutputs(run.outputs)['event-id'] as string)).source).toBe('BE');
  });

  it('fails with "OpsTrails API error (<status>): <error> [<code>]"', async () => {
    const invalid = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', severity: 'HUGE' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(
      /^::error::OpsTrails API error \(400\): severity: must be one of .* \[VALIDATION_ERROR\]$/m,
    );
    expect(invalid.outputs).toBe('');

    const unauthorized = await runAction(
      { 'api-key': 'ot_wrong', 'api-url': server.url, type: 'deployment' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stdout).toMatch(/^::error::OpsTrails API error \(401\): .* \[UNAUTHORIZED\]$/m);
  });

  it('refuses missing required inputs and data that is not a JSON object', async () => {
    const noType = await runAction(
      { 'api-key': key, 'api-url': server.url },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(noType.code).toBe(1);
    expect(noType.stdout).toContain('::error::Input required and not supplied: type');

    const badData = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', data: '[1]' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(badData.code).toBe(1);
    expect(badData.stdout).toContain('::error::Input data must be a JSON object');
  });

  it('accepts severity in any case, like the server', async () => {
    const run = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', severity: 'major' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(run.code).toBe(0);
    expect((await reader.getEvent(parseOutputs(run.outputs)['event-id'] as string)).severity).toBe('MAJOR');
  });

  it('cuts a description over 1,000 characters with a warning instead of failing the step', async () => {
    const long = `Release notes: ${'fixed a bug; '.repeat(150)}`;
    const run = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'release', description: long },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `::warning::OpsTrails: description has ${long.trim().length.toLocaleString('en-US')} characters; cut to 1,000 (the limit), ending with "…"`,
    );
    const stored = await reader.getEvent(parseOutputs(run.outputs)['event-id'] as string);
    expect(stored.data?.description).toBe(`${long.slice(0, 999)}…`);

    const viaData = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'release', data: JSON.stringify({ description: long }) },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(viaData.code).toBe(0);
    expect(viaData.stdout).toContain('::warning::OpsTrails: description has');
  });

  it('sends the commits of the push that started the workflow, and a caused-by, where DORA reads them', async () => {
    const pushEnv = {
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: fileURLToPath(new URL('./fixtures/push.payload.json', import.meta.url)),
    };
    const deploy = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', subject: 'PRODUCTION', version: 'v9' },
      pushEnv,
    );
    expect(deploy.code).toBe(0);
    const deployId = parseOutputs(deploy.outputs)['event-id'] as string;
    expect((await reader.getEvent(deployId)).data).toEqual({
      commits: [
        {
          sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          time: '2019-05-15T15:19:25Z',
          message: 'Initial commit',
        },
      ],
    });
    const none = await runAction(
      {
        'api-key': key,
        'api-url': server.url,
        type: 'deployment',
        commits: 'none',
        'commit-time': '2026-11-24T09:00:00Z',
      },
      pushEnv,
    );
    expect((await reader.getEvent(parseOutputs(none.outputs)['event-id'] as string)).data).toEqual({
      commitTime: '2026-11-24T09:00:00Z',
    });
    const incident = await runAction(
      {
        'api-key': key,
        'api-url': server.url,
        type: 'incident',
        subject: 'PRODUCTION',
        'caused-by': deployId,
        commits: 'none',
      },
      pushEnv,
    );
    const stored = await reader.getEvent(parseOutputs(incident.outputs)['event-id'] as string);
    expect(stored.causationid).toBe(deployId);
    const dora = (await (
      await fetch(`${server.url}/api/v1/dora`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as {
      data: {
        leadTime: { deployments: { id: string; commits: number }[] };
        changeFailureRate: { failedDeployments: { id: string; evidence: string }[] };
      };
    };
    expect(dora.data.leadTime.deployments).toContainEqual(
      expect.objectContaining({ id: deployId, commits: 1 }),
    );
    expect(dora.data.changeFailureRate.failedDeployments).toContainEqual(
      expect.objectContaining({ id: deployId, evidence: 'linked' }),
    );
  });

  it('refuses commits it cannot read, naming the input', async () => {
    const badTime = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', 'commit-time': 'soon' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(badTime.code).toBe(1);
    expect(badTime.stdout).toMatch(
      /^::error::Input commit-time: "soon" is not a time; give a Date or RFC 3339/m,
    );
    const badList = await runAction(
      { 'api-key': key, 'api-url': server.url, type: 'deployment', commits: '[{"sha":"a","time":"later"}]' },
      { GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(badList.code).toBe(1);
    expect(badList.stdout).toMatch(/^::error::Input commits\[0\]\.time: "later" is not a time/m);
  });

  it("prints the server's warnings as warning annotations", async () => {
    const proxy = await startAddingProxy(server.url, { severty: 'MAJOR' });
    try {
      const run = await runAction(
        { 'api-key': key, 'api-url': proxy.url, type: 'deployment' },
        { GITHUB_REPOSITORY: 'acme/api' },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^::warning::OpsTrails: severty: .*did you mean severity\?.*$/m);
    } finally {
      await proxy.close();
    }
  });

  it('fails at once on a used-up quota, naming the code and when it resets', async () => {
    const org = await server.store.organizations.create(`action-free-${engine}`, 'Free plan', 'free');
    const freeKey = await server.key('READ_WRITE', org.id);
    const free = new OpsTrailsClient({ apiKey: freeKey, baseUrl: server.url });
    await free.sendBatch(
      Array.from({ length: 100 }, (_, i) => ({
        specversion: '1.0' as const,
        type: 'deployment',
        source: 'BE',
        time: 'NOW',
        id: `fill-${i}`,
      })),
    );
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const proxy = await startFaultProxy(server.url, () => 'forward');
    try {
      const run = await runAction(
        { 'api-key': freeKey, 'api-url': proxy.url, type: 'deployment' },
        { GITHUB_REPOSITORY: 'acme/api' },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^::error::OpsTrails API error \(429\): daily event limit reached: .* \[QUOTA_EXCEEDED\]; the limit resets at \S+Z$/m,
      );
      const resetAt = /the limit resets at (\S+Z)$/m.exec(run.stdout)?.[1] as string;
      expect(Math.abs(Date.parse(resetAt) - midnight.getTime())).toBeLessThanOrEqual(2_000);
      expect(proxy.count()).toBe(1);
    } finally {
      await proxy.close();
    }

    // Even when the quota is about to reset, the step does not wait for it.
    const soon = await startFaultProxy(server.url, (_n, _req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ success: false, error: 'daily event limit reached', code: 'QUOTA_EXCEEDED' }));
      return 'handled';
    });
    try {
      const run = await runAction(
        { 'api-key': key, 'api-url': soon.url, type: 'deployment' },
        { GITHUB_REPOSITORY: 'acme/api' },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('[QUOTA_EXCEEDED]; the limit resets at');
      expect(soon.count()).toBe(1);
    } finally {
      await soon.close();
    }
  });

  it('retries a dropped connection, and the lost answer does not store the event twice', async () => {
    const proxy = await startFaultProxy(server.url, (n) => (n === 1 ? 'lose-answer' : 'forward'));
    try {
      const run = await runAction(
        { 'api-key': key, 'api-url': proxy.url, type: 'deployment', source: 'DROPPED' },
        { GITHUB_REPOSITORY: 'acme/api' },
      );
      expect(run.code).toBe(0);
      expect(proxy.count()).toBe(2);
      const stored = await reader.listEvents({ source: 'DROPPED' });
      expect(stored.events.map((e) => e.id)).toEqual([parseOutputs(run.outputs)['event-id']]);
    } finally {
      await proxy.close();
    }
  });

  it('retries a 5xx and succeeds', async () => {
    const proxy = await startFaultProxy(server.url, (n, _req, res) => {
      if (n > 1) return 'forward';
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"success":false,"error":"down"}');
      return 'handled';
    });
    try {
      const run = await runAction(
        { 'api-key': key, 'api-url': proxy.url, type: 'deployment', source: 'RETRIED' },
        { GITHUB_REPOSITORY: 'acme/api' },
      );
      expect(run.code).toBe(0);
      expect(proxy.count()).toBe(2);
      expect((await reader.getEvent(parseOutputs(run.outputs)['event-id'] as string)).source).toBe('RETRIED');
    } finally {
      await proxy.close();
    }
  });
});
