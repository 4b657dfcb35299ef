/**
 * The in-memory filter (what the live feed hands each stream) selects exactly the rows the SQL
 * filter selects, on both engines, for events in every case, with nulls, wildcards and
 * non-ASCII text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, validateEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { LOG_START } from './event-log.js';
import { matchesFilter } from './event-match.js';
import type { EventFilter } from './events.js';
import { openStore, type Store } from './store.js';

const T0 = Date.UTC(2026, 10, 1);
const TYPES = ['deployment', 'Deployment', 'DEPLOYMENT', 'rollback', 'Straße-Änderung', 'STRASSE-ÄNDERUNG'];
const SOURCES = ['BE', 'be', '//github.com/Acme/API', 'Ünï'];
const SUBJECTS = [null, 'PRODUCTION', 'production', 'Staging'];
const SEVERITIES = [null, 'MINOR', 'MAJOR', 'CRITICAL'];
const DESCRIPTIONS = [
  '50% rollout',
  'a_b done',
  'back\\slash',
  'Größe geändert',
  'plain text',
  'ROLLOUT of 5 pods',
];
const LINKS = [undefined, 'corr-1', 'Corr-1', 'corr-2'];

function events(): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = 0; i < 240; i++) {
    const input: Record<string, unknown> = {
      specversion: '1.0',
      id: `e-${i}`,
      type: TYPES[i % TYPES.length],
      source: SOURCES[(i >> 1) % SOURCES.length],
      time: new Date(T0 + i * 60_000).toISOString(),
      data: { description: DESCRIPTIONS[(i * 7) % DESCRIPTIONS.length] },
    };
    const subject = SUBJECTS[(i * 5) % SUBJECTS.length];
    if (subject) input.subject = subject;
    const severity = SEVERITIES[(i * 3) % SEVERITIES.length];
    if (severity) input.severity = severity;
    const link = LINKS[(i * 11) % LINKS.length];
    if (link) {
      input.correlationid = link;
      input.causationid = LINKS[(i * 13) % LINKS.length] ?? 'cause';
    }
    const result = validateEvent(input, T0 + 10 * 86_400_000, () => `gen-${i}`);
    if (!result.ok) throw new Error(result.error);
    out.push(result.event);
  }
  return out;
}

const FILTERS: EventFilter[] = [
  {},
  { types: ['deployment'] },
  { types: ['DePloyMent', 'rollback'] },
  { types: ['straße-änderung'] },
  { types: ['strasse-änderung'] },
  { sources: ['be'] },
  { sources: ['//GITHUB.com/acme/api'] },
  { sources: ['üNÏ'] },
  { subjects: ['production'] },
  { subjects: ['STAGING', 'nothing'] },
  { severities: ['MAJOR', 'CRITICAL'] },
  { search: '50%' },
  { search: '%' },
  { search: 'a_b' },
  { search: '_' },
  { search: 'back\\slash' },
  { search: 'rollout' },
  { search: 'GRÖSSE' },
  { search: 'größe' },
  { search: 'acme/api' },
  { correlationids: ['corr-1'] },
  { causationids: ['corr-2', 'cause'] },
  { from: T0 + 30 * 60_000, to: T0 + 90 * 60_000 },
  { from: T0 + 200 * 60_000 },
  { to: T0 + 10 * 60_000 },
  { types: ['deployment'], subjects: ['Production'], severities: ['MINOR', 'MAJOR'], search: 'roll' },
  { sources: ['BE'], correlationids: ['Corr-1', 'corr-2'], from: T0 + 20 * 60_000 },
];

describe.each(ENGINES)('in-memory filter against SQL on %s', (engine) => {
  let store: Store;
  let orgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-match-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    await store.events.insert(orgId, events(), T0);
    // PostgreSQL's log shows a commit once every earlier transaction on the cluster has ended
    // (event-log.ts): another test file's write may hold it back for a moment.
    await vi.waitFor(
      async () => expect(await store.log.read(LOG_START, 1_000, { orgId })).toHaveLength(240),
      {
        timeout: 20_000,
        interval: 50,
      },
    );
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('selects the same rows for every filter', async () => {
    const all = await store.log.read(LOG_START, 1_000, { orgId });
    expect(all).toHaveLength(240);
    for (const filter of FILTERS) {
      const inSql = (await store.log.read(LOG_START, 1_000, { orgId, filter })).map((r) => r.id);
      const inMemory = all.filter((row) => matchesFilter(row, filter)).map((r) => r.id);
      expect({ filter, ids: inMemory }).toEqual({ filter, ids: inSql });
    }
    // The filters discriminate: neither everything nor nothing for most of them.
    const sizes = await Promise.all(
      FILTERS.map(async (filter) => (await store.log.read(LOG_START, 1_000, { orgId, filter })).length),
    );
    expect(sizes.filter((n) => n > 0 && n < 240).length).toBeGreaterThan(FILTERS.length - 4);
  });
});
