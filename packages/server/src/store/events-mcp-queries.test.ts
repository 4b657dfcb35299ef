/** The event queries behind the MCP tools and the grid, on both engines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from './store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const event = (
  id: string,
  source: string,
  subject: string | null,
  version: string | null,
  day: number,
  type = 'deployment',
): NewEvent => ({
  id,
  type,
  source,
  time: T0 + day * DAY,
  subject,
  severity: null,
  version,
  datacontenttype: 'application/json',
  dataschema: null,
  data: { description: id },
  size: 100,
});

describe.each(ENGINES)('MCP event queries on %s', (engine) => {
  let store: Store;
  let orgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-mcpq-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    await store.events.insert(
      orgId,
      [
        event('a', 'BE', 'STAGING', '1.0', 0),
        event('b', 'BE', 'PRODUCTION', '1.0', 1),
        event('c', 'BE', 'PRODUCTION', null, 2, 'cache-purge'),
        event('d', 'BE', 'STAGING', '1.1', 20),
        event('e', 'FE', 'PRODUCTION', '3.0', 21),
        event('f', 'FE', null, '3.0', 22),
      ],
      T0 + 30 * DAY,
    );
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gridCells: the latest event and the latest versioned event per cell, optionally since a time', async () => {
    const all = await store.events.gridCells(orgId);
    const cells = (rows: { source: string; subject: string | null; id: string }[]) =>
      rows.map((r) => `${r.source}/${r.subject}=${r.id}`).sort();
    expect(cells(all.latest)).toEqual(['BE/PRODUCTION=c', 'BE/STAGING=d', 'FE/PRODUCTION=e']);
    expect(cells(all.versioned)).toEqual(['BE/PRODUCTION=b', 'BE/STAGING=d', 'FE/PRODUCTION=e']);
    const recent = await store.events.gridCells(orgId, T0 + 10 * DAY);
    expect(cells(recent.latest)).toEqual(['BE/STAGING=d', 'FE/PRODUCTION=e']);
  });

  it('byVersion: oldest first, optionally of one source', async () => {
    expect((await store.events.byVersion(orgId, '1.0', undefined, 10)).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await store.events.byVersion(orgId, '3.0', 'BE', 10)).map((r) => r.id)).toEqual([]);
  });

  it('versionHistory: where the versions were, within the range, without data', async () => {
    const rows = await store.events.versionHistory(
      orgId,
      [
        { source: 'BE', version: '1.0' },
        { source: 'FE', version: '3.0' },
        // Another source's version is not asked for.
        { source: 'FE', version: '1.1' },
      ],
      T0,
      T0 + 21 * DAY,
    );
    expect(rows.map((r) => [r.source, r.subject, r.version, r.time]).sort()).toEqual(
      [
        ['BE', 'PRODUCTION', '1.0', T0 + DAY],
        ['BE', 'STAGING', '1.0', T0],
        ['FE', 'PRODUCTION', '3.0', T0 + 21 * DAY],
      ].sort(),
    );
    expect(await store.events.versionHistory(orgId, [], T0, T0 + DAY)).toEqual([]);
  });

  it('countMatching: counts per value among the matching events', async () => {
    expect(await store.events.countMatching(orgId, 'type', { from: T0, to: T0 + 5 * DAY })).toEqual([
      { value: 'deployment', count: 2 },
      { value: 'cache-purge', count: 1 },
    ]);
    expect(await store.events.countMatching(orgId, 'subject', { sources: ['FE'] })).toEqual([
      { value: 'PRODUCTION', count: 1 },
    ]);
  });
});
