/**
 * The live feed under load, server in its own process (SQLite):
 * - 1,000 SSE streams on one instance while events arrive one by one: how long each event takes
 *   to reach each stream, whether every stream gets every event, `/healthz` latency (against
 *   the same server idle, same run) and server memory;
 * - 10 clients replaying a 200,000-event store from `Last-Event-ID: 0` at once: `/healthz`
 *   latency meanwhile and how long the replays take.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeHealth } from './lib/health-probe.js';
import { fmt, percentile, writeSection } from './lib/results.js';
import { seededDataDir } from './lib/seed.js';
import { createKey, type ServerProcess, startServerProcess } from './lib/server-process.js';

const STREAMS = 1_000;
const EVENTS = 150;
const EVENTS_PER_S = 10;
const REPLAY_STORE = 200_000;
const REPLAYS = 10;

/** What precedes an event's id in its frame: the data line starts with it. */
const DATA = '\ndata: {"id":"';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An SSE stream read on its own socket; calls `onEvent` with each event id as it arrives. */
function openStream(
  url: string,
  key: string,
  headers: Record<string, string>,
  onEvent: (id: string) => void,
): Promise<{ close(): void; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${url}/api/v1/events/stream`,
      { agent: false, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream answered ${response.statusCode}`));
          return;
        }
        response.setEncoding('utf8');
        let tail = '';
        const ended = new Promise<void>((done) => response.once('close', () => done()));
        let connected = false;
        response.on('data', (chunk: string) => {
          const text = tail + chunk;
          const cut = text.lastIndexOf('\n\n');
          tail = cut === -1 ? text : text.slice(cut + 2);
          if (cut === -1) return;
          const frames = text.slice(0, cut);
          if (!connected && frames.includes(': connected')) {
            connected = true;
            resolve({ close: () => request.destroy(), ended });
          }
          for (let at = frames.indexOf(DATA); at !== -1; at = frames.indexOf(DATA, at + 1)) {
            const start = at + DATA.length;
            onEvent(frames.slice(start, frames.indexOf('"', start)));
          }
        });
      },
    );
    request.on('error', reject);
  });
}

/** CPU time a process has used so far, in seconds (user + system, from /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ms = (sorted: number[], p: number) => `${fmt(percentile(sorted, p), 1)} ms`;

async function manyStreams(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-streams-'));
  let server: ServerProcess | undefined;
  try {
    // Every stream comes from this one address: lift the per-address cap (500) above them.
    server = await startServerProcess(dataDir, {
      OPSTRAILS_MAX_CONNECTIONS_PER_ADDRESS: String(STREAMS + 100),
    });
    const key = createKey(dataDir);
    const idle = probeHealth(server.url, 20);
    await sleep(5_000);
    const idleHealth = await idle.stop();
    const rssIdle = server.memory().rssMiB;

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const received = new Array<number>(STREAMS).fill(0);
    const streams = [];
    for (let i = 0; i < STREAMS; i += 100) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(100, STREAMS - i) }, (_, j) =>
          openStream(server?.url as string, key, {}, (id) => {
            const at = sentAt.get(id);
            if (at !== undefined) latencies.push(performance.now() - at);
            received[i + j] = (received[i + j] as number) + 1;
          }),
        ),
      );
      streams.push(...opened);
    }
    const rssOpen = server.memory().rssMiB;

    const loaded = probeHealth(server.url, 20);
    const cpuBefore = cpuSeconds(server.child.pid as number);
    const sendStarted = performance.now();
    for (let n = 0; n < EVENTS; n++) {
      const id = `live-${n}`;
      const body = JSON.stringify({
        specversion: '1.0',
        id,
        type: 'deployment',
        source: 'BENCH',
        subject: 'PRODUCTION',
        time: 'NOW',
        data: { description: `event ${n} of the streams benchmark` },
      });
      sentAt.set(id, performance.now());
      const res = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
      await res.arrayBuffer();
      await sleep(1_000 / EVENTS_PER_S);
    }
    const deadline = Date.now() + 10_000;
    while (received.some((n) => n < EVENTS) && Date.now() < deadline) await sleep(100);
    const loadedHealth = await loaded.stop();
    const cpuShare =
      (cpuSeconds(server.child.pid as number) - cpuBefore) / ((performance.now() - sendStarted) / 1000);
    const rss = server.memory();
    for (const s of streams) s.close();

    latencies.sort((a, b) => a - b);
    const expected = STREAMS * EVENTS;
    const within1s = latencies.filter((l) => l <= 1_000).length;
    const complete = received.filter((n) => n === EVENTS).length;
    return `### ${fmt(STREAMS)} SSE streams on one instance

\`npm run bench -- streams\`: ${fmt(STREAMS)} streams (one socket each) open on one server (SQLite), then
${fmt(EVENTS)} single-event POSTs at ${EVENTS_PER_S}/s; delivery time is from just before each POST to the event's
arrival on each stream, at the client. \`/healthz\` (a store round trip) probed every 20 ms from a separate process, idle first, then during the run.

| figure | value |
| --- | ---: |
| deliveries received | ${fmt(latencies.length)} of ${fmt(expected)} (${complete} of ${fmt(STREAMS)} streams got every event) |
| delivered within 1 s | ${fmt((100 * within1s) / expected, 2)}% |
| delivery p50 / p99 / max | ${ms(latencies, 50)} / ${ms(latencies, 99)} / ${ms(latencies, 100)} |
| \`/healthz\` idle p50 / p99 | ${ms(idleHealth, 50)} / ${ms(idleHealth, 99)} |
| \`/healthz\` with the streams p50 / p99 / max | ${ms(loadedHealth, 50)} / ${ms(loadedHealth, 99)} / ${ms(loadedHealth, 100)} |
| server CPU while events flowed | ${fmt(100 * cpuShare)}% of one core |
| server RSS idle / streams open / end (peak) | ${fmt(rssIdle)} / ${fmt(rssOpen)} / ${fmt(rss.rssMiB)} MiB (${fmt(rss.peakMiB)} MiB) |

Targets: every event delivered to each stream within a second; \`/healthz\` p99 under 50 ms.`;
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function replays(): Promise<string> {
  const dataDir = await seededDataDir(REPLAY_STORE);
  const server = await startServerProcess(dataDir);
  try {
    const key = createKey(dataDir, 'READ_ONLY');
    const idle = probeHealth(server.url, 20);
    await sleep(3_000);
    const idleHealth = await idle.stop();

    const loaded = probeHealth(server.url, 20);
    const started = performance.now();
    const counts = new Array<number>(REPLAYS).fill(0);
    const finished: number[] = [];
    await Promise.all(
      Array.from({ length: REPLAYS }, async (_, i) => {
        const stream = await openStream(server.url, key, { 'last-event-id': '0' }, () => {
          counts[i] = (counts[i] as number) + 1;
        });
        while ((counts[i] as number) < REPLAY_STORE) await sleep(50);
        finished.push(performance.now() - started);
        stream.close();
      }),
    );
    const loadedHealth = await loaded.stop();
    const rss = server.memory();
    finished.sort((a, b) => a - b);
    return `### ${REPLAYS} replays from \`Last-Event-ID: 0\`

\`npm run bench -- streams\`: ${REPLAYS} clients open the stream with \`Last-Event-ID: 0\` at once on a SQLite store of
${fmt(REPLAY_STORE)} events (bench/.data/seeded-${REPLAY_STORE}) and read as fast as they can; \`/healthz\` probed every 20 ms from a separate process.

| figure | value |
| --- | ---: |
| events replayed | ${fmt(counts.reduce((a, b) => a + b, 0))} of ${fmt(REPLAYS * REPLAY_STORE)} |
| replay time, first / last client done | ${fmt((finished[0] ?? 0) / 1000, 1)} s / ${fmt((finished.at(-1) ?? 0) / 1000, 1)} s |
| \`/healthz\` idle p50 / p99 | ${ms(idleHealth, 50)} / ${ms(idleHealth, 99)} |
| \`/healthz\` during the replays p50 / p99 / max | ${ms(loadedHealth, 50)} / ${ms(loadedHealth, 99)} / ${ms(loadedHealth, 100)} |
| server RSS at the end (peak) | ${fmt(rss.rssMiB)} MiB (${fmt(rss.peakMiB)} MiB) |`;
  } finally {
    await server.stop();
  }
}

const load = loadavg()[0] ?? 0;
const sections = [await manyStreams(), await replays()];
const busy = `Load average when the run started: ${fmt(load, 1)} (other processes share the machine; an idle \`/healthz\` p99 far above a few ms says how much).`;
writeSection('streams', `## Live feed\n\n${busy}\n\n${sections.join('\n\n')}`);
