/**
 * The DORA benchmark's store: DORA_BENCH_EVENTS-sized timelines over a year, 5% deployments (a
 * quarter with commits), incidents (a fifth naming their deployment in `causationid`) and
 * rollbacks, seeded once into bench/.data/dora-<n> and reused. Apart from the benchmark so a
 * store can be seeded ahead of a run:
 * `node --import tsx -e "import('./bench/lib/dora-seed.ts').then((m) => m.seedDoraStore(10_000_000))"`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NewEvent } from '@opstrails/core';
import { openStore } from '../../packages/server/src/store/store.js';
import { fmt } from './results.js';
import { rng, SOURCES, SUBJECTS } from './seed.js';

export const DAYS = 365;
export const DAY = 86_400_000;
export const END = Date.parse('2026-11-30T00:00:00Z');
const OTHER_TYPES = ['metric-alert', 'config-change', 'cache-purge', 'scaling', 'job-run', 'feature-flag'];

/** The i-th of `events` events. */
export function doraEvent(
  i: number,
  events: number,
  random: () => number,
  lastDeploy: Map<string, string>,
): NewEvent {
  const time = Math.floor(END - DAYS * DAY + (DAYS * DAY * i) / events);
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

/** The store of `events` events, seeded on first use; the caller closes it. */
export async function doraSeededStore(events: number) {
  const dir = fileURLToPath(new URL(`../.data/dora-${events}`, import.meta.url));
  const marker = `${dir}/.seeded`;
  const store = await openStore({ dataDir: dir });
  const org = await store.organizations.ensureDefault();
  if (!existsSync(marker)) {
    process.stdout.write(`seeding ${fmt(events)} events into ${dir} (once; reused by later runs)\n`);
    const random = rng(7);
    const lastDeploy = new Map<string, string>();
    const started = Date.now();
    let batch: NewEvent[] = [];
    for (let i = 0; i < events; i++) {
      batch.push(doraEvent(i, events, random, lastDeploy));
      if (batch.length === 1_000 || i === events - 1) {
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

/** Seeds the store of `events` events (if not yet) and closes it. */
export async function seedDoraStore(events: number): Promise<void> {
  const { store } = await doraSeededStore(events);
  await store.close();
}
