import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from '../store/store.js';
import { applyRetention } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);
const event = (id: string, daysAgo: number): NewEvent => ({
  id,
  type: 'deployment',
  source: 'BE',
  time: NOW - daysAgo * DAY,
  subject: null,
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 80,
});

describe.each(ENGINES)('retention on %s', (engine) => {
  let store: Store;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-retention-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes what is older than the plan keeps, and nothing of an unlimited organization', async () => {
    const free = await store.organizations.create('free-org', 'Free', 'free');
    const unlimited = await store.organizations.ensureDefault();
    await store.events.insert(free.id, [event('old', 8), event('recent', 6)], NOW);
    await store.events.insert(unlimited.id, [event('ancient', 400)], NOW);

    expect(await applyRetention(store, NOW)).toEqual({ deleted: { 'free-org': 1 } });
    expect(await store.events.findById(free.id, 'old')).toEqual([]);
    expect(await store.events.findById(free.id, 'recent')).toHaveLength(1);
    expect(await store.events.findById(unlimited.id, 'ancient')).toHaveLength(1);
    expect(await applyRetention(store, NOW)).toEqual({ deleted: {} });
  });
});
