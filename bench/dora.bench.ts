/**
 * DORA on a large store: `GET /api/v1/dora` for a 90-day range, computed cold (no cached answer)
 * and served cached, on a SQLite store of DORA_BENCH_EVENTS events (default 1,000,000) spread
 * over a year, 5% of them deployments (a quarter with commits), with incidents (a fifth naming
 * their deployment in `causationid`) and rollbacks. Runs the service in process, from the
 * sources, so it measures the reads and the computation, not HTTP.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { NewEvent } from '@opstrails/core';
import { DoraService } from '../packages/server/src/dora/service.js';
import { openStore } from '../packages/server/src/store/store.js';
import { fmt, percentile, writeSection } from './lib/results.js';
import { rng, SOURCES, SUBJECTS } from './lib/seed.js';

const EVENTS = Number(process.env.DORA_BENCH_EVENTS ?? 1_000_000);
const DAYS = 365;
const RANGE_DAYS = 90;
const RUNS = 30;
const DAY = 86_400_000;
const END = Date.parse('2026-11-30T00:00:00Z');
const OTHER_TYPES = ['metric-alert', 'config-change', 'cache-purge', 'scaling', 'job-run', 'feature-flag'];

function event(i: number, random: () => number, lastDeploy: Map<string, string>): NewEvent {
  const time = Math.floor(END - DAYS * DAY + (DAYS * DAY * i) / EVENTS);
  const source = SOURCES[Math.floor(random() * SOURCES.length)] as string;
  const subject = SUBJECTS[Math.floor(random() * SUBJECTS.length)] as string;
  const r = random();
  const base = {
    id: `dora-${i}`,
    source,
    subject,
    time,
    severity: null,
    version: null as string | null,
    datacontenttype: 'application/json',
    dataschema: null,
    data: { description: `event ${i}` } as Record<string, unknown>,
    extensions: null as NewEvent['extensions'],
    size: 300,
  };
  if (r < 0.05) {
    lastDeploy.set(subject, base.id);
    const commits =
      random() < 0.25
        ? [1, 5, 30].map((h, k) => ({
            sha: `${i}${k}`,
            time: new Date(time - h * 3_600_000).toISOString(),
            message: 'change',
          }))
        : undefined;
    return {
      ...base,
      type: 'deployment',
      version: `${source}-${Math.floor(i / 2_000)}`,
      data: { ...base.data, ...(commits ? { commits } : {}) },
    };
  }
  if (r < 0.052) {
    const cause = random() < 0.2 ? lastDeploy.get(subject) : undefined;
    return {
      ...base,
      type: 'incident',
      source: 'pagerduty',
      extensions: cause ? { causationid: cause } : null,
    };
  }
  if (r < 0.053) return { ...base, type: 'rollback' };
  return { ...base, type: OTHER_TYPES[Math.floor(random() * OTHER_TYPES.length)] as string };
}

async function seededStore() {
  const dir = fileURLToPath(new URL(`./.data/dora-${EVENTS}`, import.meta.url));
  const marker = `${dir}/.seeded`;
  const store = await openStore({ dataDir: dir });
  const org = await store.organizations.ensureDefault();
  if (!existsSync(marker)) {
    process.stdout.write(`seeding ${fmt(EVENTS)} events into ${dir} (once; reused by later runs)\n`);
    const random = rng(7);
    const lastDeploy = new Map<string, string>();
    const started = Date.now();
    let batch: NewEvent[] = [];
    for (let i = 0; i < EVENTS; i++) {
      batch.push(event(i, random, lastDeploy));
      if (batch.length === 1_000 || i === EVENTS - 1) {
        await store.events.insert(org.id, batch, END);
        batch = [];
      }
      if ((i + 1) % 500_000 === 0)
        process.stdout.write(`  ${fmt(i + 1)} events (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    writeFileSync(marker, new Date().toISOString());
  }
  return { store, orgId: org.id };
}

const { store, orgId } = await seededStore();
const query = { from: END - RANGE_DAYS * DAY, to: END, period: 'week' as const };
try {
  const cpu: number[] = [];
  /** Wall time; the process's CPU time goes to `cpu` (the machine is shared, so wall time includes waiting for a core). */
  const time = async (f: () => Promise<unknown>) => {
    const started = performance.now();
    const usage = process.cpuUsage();
    await f();
    const spent = process.cpuUsage(usage);
    cpu.push((spent.user + spent.system) / 1000);
    return performance.now() - started;
  };
  // A new service has an empty cache: every call computes.
  const first = await time(() => new DoraService(store).metrics(orgId, query));
  const cold: number[] = [];
  cpu.length = 0;
  for (let i = 0; i < RUNS; i++) cold.push(await time(() => new DoraService(store).metrics(orgId, query)));
  const coldCpu = [...cpu].sort((a, b) => a - b);
  const service = new DoraService(store);
  const answer = await service.metrics(orgId, query);
  const cached: number[] = [];
  for (let i = 0; i < RUNS * 10; i++) cached.push(await time(() => service.metrics(orgId, query)));
  cold.sort((a, b) => a - b);
  cached.sort((a, b) => a - b);
  const deployments = answer.deploymentFrequency.count;
  // One section per store size, so the figures of several sizes stand side by side.
  writeSection(
    `dora-${EVENTS}`,
    `## DORA metrics

\`npm run bench -- dora\` (\`DORA_BENCH_EVENTS=<n>\` for another size): a SQLite store of ${fmt(EVENTS)} events over
${DAYS} days, 5% deployments over 10 subjects (5 production), 0.2% incidents (a fifth naming their deployment
in \`causationid\`), 0.1% rollbacks. The DORA answer for the last ${RANGE_DAYS} days (week series, the period before
beside it: ${fmt(deployments)} production deployments counted, about twice that read with the period before),
computed by the service in process from the sources (reads + computation, no HTTP). Cold: a fresh cache each call
(the database pages warm after the first); cached: the same question again, checked against the event log.

| answer | p50 | p99 | max | runs |
| --- | ---: | ---: | ---: | ---: |
| first call | ${fmt(first, 1)} ms | | | 1 |
| cold (computed) | ${fmt(percentile(cold, 50), 1)} ms | ${fmt(percentile(cold, 99), 1)} ms | ${fmt(cold[cold.length - 1] ?? 0, 1)} ms | ${RUNS} |
| cold, CPU time of the process | ${fmt(percentile(coldCpu, 50), 1)} ms | ${fmt(percentile(coldCpu, 99), 1)} ms | ${fmt(coldCpu[coldCpu.length - 1] ?? 0, 1)} ms | ${RUNS} |
| cached | ${fmt(percentile(cached, 50), 2)} ms | ${fmt(percentile(cached, 99), 2)} ms | ${fmt(cached[cached.length - 1] ?? 0, 2)} ms | ${RUNS * 10} |

The machine is shared with other work; load average at the end: ${loadavg()[0]?.toFixed(1)}.`,
  );
} finally {
  await store.close();
}
