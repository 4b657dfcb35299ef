/**
 * Notification latency to a webhook (issue 11, item 7; target: p99 under 2 s): a server process
 * (SQLite, from the sources, every built-in consumer running, 127.0.0.1 allowed as a target)
 * sends to a signed webhook receiver in this process. Measured from the moment the event's POST
 * starts to the moment the receiver has the whole request, for three kinds, each paced at 10
 * events a second while 4 connections of unrelated ingest keep the server busy:
 *   - guardrail.violation: 150 deploys, each the first match of a freeze window of its own;
 *   - incident.triage: 150 incidents (each ranked against the 2 hours before it);
 *   - event.forwarded: 150 production deploys matching a forwarding rule.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openStore } from '../packages/server/src/store/store.js';
import { fmt, percentile, writeSection } from './lib/results.js';

const PROGRAM = fileURLToPath(new URL('./lib/guardrails-server.ts', import.meta.url));
const SAMPLES = 150;
const PACE_MS = 100;

function start(env: NodeJS.ProcessEnv): Promise<ChildProcess & { url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        OPSTRAILS_LOG_LEVEL: 'warn',
        OPSTRAILS_HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(Object.assign(child, { url }));
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

/** The receiver: when each sample's request arrived, by the sample id the body carries. */
async function receiver() {
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(raw) as Record<string, { id?: string; version?: string } | undefined>;
      const id = body.violation?.version ?? body.event?.id;
      if (id && !arrived.has(id)) arrived.set(id, at);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    arrived,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => server.close(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-channels-'));
  const hook = await receiver();
  const store = await openStore({ dataDir });
  const org = await store.organizations.ensureDefault();
  const admin = (await store.apiKeys.create(org.id, 'bench-admin', 'ADMIN')).key;
  const writer = (await store.apiKeys.create(org.id, 'bench', 'READ_WRITE')).key;
  await store.close();
  const server = await start({ OPSTRAILS_DATA_DIR: dataDir, OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
  const call = async (path: string, body: unknown, key = admin, method = 'POST') => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: { id: string } }).data;
  };
  try {
    const channel = await call('/api/v1/channels', {
      type: 'webhook',
      name: 'bench',
      config: { url: hook.url, secret: 'bench-secret-123' },
    });
    await call('/api/v1/notifications/settings', { triageChannels: [channel.id] }, admin, 'PUT');
    await call('/api/v1/forwarding', {
      name: 'prod deploys',
      channelId: channel.id,
      types: ['deployment'],
      subjects: ['FWD-PRODUCTION'],
    });
    const now = Date.now();
    for (let i = 0; i < SAMPLES; i++)
      await call('/api/v1/guardrails/freezes', {
        name: `freeze ${i}`,
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 86_400_000).toISOString(),
        sources: [`FROZEN-${i}`],
        notificationChannels: [channel.id],
      });

    // Unrelated ingest alongside: config changes no rule, freeze or triage looks at.
    const background = autocannon(
      {
        url: `${server.url}/api/v1/events`,
        connections: 4,
        duration: 3 * ((SAMPLES * PACE_MS) / 1000) + 10,
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          specversion: '1.0',
          type: 'config-change',
          source: 'NOISE',
          subject: 'DEV',
          time: 'NOW',
        }),
      },
      // With a callback autocannon hands back the running instance (events, stop) instead of a promise.
      () => undefined,
    );
    let backgroundSent = 0;
    background.on('response', () => {
      backgroundSent++;
    });

    const kinds: [string, (i: number) => Record<string, unknown>][] = [
      [
        'guardrail.violation',
        (i) => ({ type: 'deployment', source: `FROZEN-${i}`, subject: 'PRODUCTION', version: `v-${i}` }),
      ],
      [
        'incident.triage',
        (i) => ({
          type: 'incident',
          source: 'PAYMENTS',
          subject: 'PRODUCTION',
          severity: 'CRITICAL',
          id: `inc-${i}`,
        }),
      ],
      [
        'event.forwarded',
        (i) => ({ type: 'deployment', source: 'BE', subject: 'FWD-PRODUCTION', id: `fwd-${i}` }),
      ],
    ];
    const rows: string[] = [];
    for (const [kind, make] of kinds) {
      const started = new Map<string, number>();
      for (let i = 0; i < SAMPLES; i++) {
        const event = { specversion: '1.0', time: 'NOW', ...make(i) } as Record<string, string>;
        const id = kind === 'guardrail.violation' ? (event.version as string) : (event.id as string);
        started.set(id, performance.now());
        void call('/api/v1/events', event, writer);
        await sleep(PACE_MS);
      }
      const until = Date.now() + 30_000;
      while ([...started.keys()].some((id) => !hook.arrived.has(id)) && Date.now() < until) await sleep(50);
      const latencies = [...started]
        .filter(([id]) => hook.arrived.has(id))
        .map(([id, t]) => (hook.arrived.get(id) as number) - t)
        .sort((a, b) => a - b);
      rows.push(
        `| ${kind} | ${latencies.length} / ${SAMPLES} | ${fmt(percentile(latencies, 50))} | ${fmt(percentile(latencies, 95))} | ${fmt(percentile(latencies, 99))} | ${fmt(latencies.at(-1) ?? Number.NaN)} |`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }
    background.stop();
    writeSection(
      'channels',
      `## Channels: notification to webhook latency

\`npm run bench -- channels\`. A server process (SQLite, built-in consumers, 127.0.0.1 allowed)
delivering to a webhook receiver on loopback; each kind paced at 10 events/s (${SAMPLES} each)
while 4 connections of unrelated ingest run alongside (${fmt(backgroundSent)} background events
in all). Latency from the event's POST to the receiver having the request, in ms. Target: p99
under 2,000 ms. Load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (the machine is shared).

| kind | delivered | p50 | p95 | p99 | max |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    hook.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
