/**
 * A deterministic, realistic timeline for benchmarks: sources x subjects x types with skewed
 * frequencies, spread evenly over a time range. `seedEvents` writes it through the store's own
 * insert path in batches of 1,000.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NewEvent, Severity } from '@opstrails/core';
import { openStore, type Store } from '@opstrails/server';

export const SOURCES = [
  'FE',
  'BE',
  'DB',
  'CACHE',
  'WORKER',
  'CMS',
  'INFRA',
  'INDEXING',
  'INTERMEDIATE',
  'CI',
];
export const SUBJECTS = [
  'PRODUCTION',
  'STAGING',
  'DEVELOPMENT',
  'EU-PRODUCTION',
  'EU-STAGING',
  'US-PRODUCTION',
  'US-STAGING',
  'BRAND-A-PRODUCTION',
  'BRAND-A-STAGING',
  'BRAND-B-PRODUCTION',
];
/** Weighted: deployments dominate, as in real timelines. */
export const TYPES: [string, number][] = [
  ['deployment', 40],
  ['config-change', 15],
  ['cache-purge', 10],
  ['db-migration', 8],
  ['rollback', 5],
  ['data-load', 8],
  ['incident', 3],
  ['scaling', 5],
  ['cert-rotation', 1],
  ['maintenance', 5],
];
const SEVERITIES: (Severity | null)[] = [null, null, 'LOW', 'MINOR', 'MAJOR', 'CRITICAL'];

/** Mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPE_TOTAL = TYPES.reduce((s, [, w]) => s + w, 0);

function pickType(r: number): string {
  let x = r * TYPE_TOTAL;
  for (const [type, w] of TYPES) {
    x -= w;
    if (x < 0) return type;
  }
  return 'deployment';
}

/** The i-th event of a timeline of `n` events ending at `endMs` and spanning `days`. */
export function syntheticEvent(
  i: number,
  n: number,
  endMs: number,
  days: number,
  random: () => number,
): NewEvent {
  const span = days * 86_400_000;
  const type = pickType(random());
  const source = SOURCES[Math.floor(random() * SOURCES.length)] as string;
  const subject = SUBJECTS[Math.floor(random() * SUBJECTS.length)] as string;
  const data = { description: `${type} of ${source} to ${subject} #${i}`, ticket: `OPS-${i % 10_000}` };
  return {
    id: `bench-${i}`,
    type,
    source,
    subject,
    time: Math.floor(endMs - span + (span * i) / n),
    severity: SEVERITIES[Math.floor(random() * SEVERITIES.length)] ?? null,
    version: `${1 + (i % 7)}.${i % 50}.${i % 13}`,
    datacontenttype: 'application/json',
    dataschema: null,
    data,
    size: 300,
  };
}

export async function seedEvents(
  store: Store,
  orgId: string,
  n: number,
  options: { days?: number; endMs?: number; onProgress?: (done: number) => void } = {},
): Promise<void> {
  const days = options.days ?? 90;
  const endMs = options.endMs ?? Date.now();
  const random = rng(42);
  const batch: NewEvent[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(syntheticEvent(i, n, endMs, days, random));
    if (batch.length === 1_000 || i === n - 1) {
      await store.events.insert(orgId, batch, endMs);
      batch.length = 0;
      if ((i + 1) % 100_000 === 0) options.onProgress?.(i + 1);
    }
  }
}

/**
 * A data directory holding a SQLite store seeded with `n` events over 90 days in the default
 * organization, built once and reused by later runs (bench/.data/seeded-<n>).
 */
export async function seededDataDir(n: number): Promise<string> {
  const dir = fileURLToPath(new URL(`../.data/seeded-${n}`, import.meta.url));
  const marker = `${dir}/.seeded`;
  if (existsSync(marker)) return dir;
  const store = await openStore({ dataDir: dir });
  try {
    const org = await store.organizations.ensureDefault();
    const started = Date.now();
    process.stdout.write(
      `seeding ${n.toLocaleString('en-US')} events into ${dir} (once; reused by later runs)\n`,
    );
    await seedEvents(store, org.id, n, {
      onProgress: (done) =>
        process.stdout.write(
          `  ${done.toLocaleString('en-US')} events (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
        ),
    });
  } finally {
    await store.close();
  }
  writeFileSync(marker, new Date().toISOString());
  return dir;
}
