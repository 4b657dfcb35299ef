/**
 * Channel deliveries across a SIGKILL, on both engines, with a server process restarted on the
 * same store: a delivery whose 127.0.0.1 target the address policy refuses fails at once (the
 * receiver gets nothing; the delivery log names OPSTRAILS_ALLOW_PRIVATE_TARGETS and says it is not
 * retried), and the next process, which allows the target, delivers new events to it once without
 * resending the refused one; a delivery whose process died mid-send (the receiver
 * took the request and never answered) is sent again after the claim ends, with the same
 * delivery id, and the receiver processes it once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../../test-support/fake-webhook.js';
import {
  createSchema,
  dropSchema,
  ENGINES,
  PG_URL,
  storeEnv,
  uniqueSchema,
} from '../../../test-support/test-server.js';
import { openStore } from '../src/store/store.js';

/** An answer's JSON, loosely typed: the assertions say what it must hold. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds
const json = async (res: Response): Promise<any> => res.json();

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const BUNDLE = root(`test-artifacts/server/channels-server-${process.pid}.mjs`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function startInstance(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE], {
      env: { ...process.env, OPSTRAILS_LOG_LEVEL: 'silent', OPSTRAILS_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on('data', (c) => {
      err += c;
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}): ${err}`)));
  });
}

beforeAll(() =>
  build({
    entryPoints: [root('packages/server/test/channels-server.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: Object.fromEntries(
      ['core', 'server'].map((pkg) => [`@opstrails/${pkg}`, root(`packages/${pkg}/src/index.ts`)]),
    ),
    logLevel: 'warning',
  }),
);

describe.each(ENGINES)('channel deliveries across a SIGKILL on %s', (engine) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-channels-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const env = { ...storeEnv(dataDir, schema), OPSTRAILS_SECRET: 'a-long-shared-secret-for-tests' };
  const children: ChildProcess[] = [];
  let admin = '';
  let writer = '';
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    if (schema) await createSchema(schema);
    const store = await openStore({ dataDir, databaseUrl: schema ? PG_URL : undefined, pgSchema: schema });
    const org = await store.organizations.ensureDefault();
    admin = (await store.apiKeys.create(org.id, 'admin', 'ADMIN')).key;
    writer = (await store.apiKeys.create(org.id, 'ci', 'READ_WRITE')).key;
    await store.close();
    receiver = await startWebhookReceiver('restart-secret');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await receiver.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const launch = async (extra: NodeJS.ProcessEnv = {}) => {
    const instance = await startInstance({ ...env, ...extra });
    children.push(instance.child);
    return instance;
  };
  const call = (url: string, path: string, key: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const kill = async (child: ChildProcess) => {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };

  it('refuses 127.0.0.1 for good while the policy is on, then delivers once after a restart that allows it', async () => {
    const first = await launch();
    const created = await call(first.url, '/api/v1/channels', admin, {
      type: 'webhook',
      name: 'Local receiver',
      config: { url: receiver.url, secret: 'restart-secret' },
    });
    expect(created.status).toBe(201);
    const channelId = (await json(created)).data.id as string;
    expect((await call(first.url, '/api/v1/forwarding', admin, { name: 'all', channelId })).status).toBe(201);

    const test = await json(await call(first.url, `/api/v1/channels/${channelId}/test`, admin, {}));
    expect(test.data.delivered).toBe(false);
    expect(test.data.message).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');

    const event = {
      specversion: '1.0',
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      time: 'NOW',
      id: 'kill-1',
    };
    expect((await call(first.url, '/api/v1/events', writer, event)).status).toBe(201);
    const log = await waitFor('the refusal in the delivery log', async () => {
      const d = (await json(await call(first.url, `/api/v1/channels/${channelId}/deliveries`, admin))).data
        .deliveries;
      return d[0]?.lastError ? d : null;
    });
    expect(log).toHaveLength(1);
    // No later attempt could pass the policy: failed at the first, with the reason.
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(log[0].lastError).toContain('127.0.0.1 is a loopback address');
    expect(log[0].lastError).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');
    expect(log[0].lastError).toContain('not retried');
    expect(receiver.all).toHaveLength(0);
    await kill(first.child);

    const second = await launch({ OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    expect((await call(second.url, '/api/v1/events', writer, { ...event, id: 'kill-1b' })).status).toBe(201);
    await waitFor('the delivery', () => receiver.processed.size === 1);
    const after = (await json(await call(second.url, `/api/v1/channels/${channelId}/deliveries`, admin))).data
      .deliveries;
    expect(after.map((d: { status: string }) => d.status)).toEqual(['delivered', 'failed']);
    expect(after[0]).toMatchObject({ lastError: null });
    await sleep(500);
    expect(receiver.accepted).toHaveLength(1);

    // Killed while the receiver holds the request: sent again after the claim ends, same delivery id.
    receiver.hangNext(1);
    const event2 = { ...event, id: 'kill-2' };
    expect((await call(second.url, '/api/v1/events', writer, event2)).status).toBe(201);
    await waitFor('the request the receiver holds', () => receiver.all.length === 2);
    await kill(second.child);
    const third = await launch({ OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    await waitFor('the resend', () => receiver.processed.size === 2);
    expect(receiver.all).toHaveLength(3);
    expect(receiver.all[2]?.headers['x-opstrails-delivery']).toBe(
      receiver.all[1]?.headers['x-opstrails-delivery'],
    );
    const final = (await json(await call(third.url, `/api/v1/channels/${channelId}/deliveries`, admin))).data
      .deliveries;
    expect(final.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered', 'failed']);
  }, 60_000);
});
