import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from './store.js';

const event = (id: string, source = 'BE'): NewEvent => ({
  id,
  type: 'deployment',
  source,
  time: Date.UTC(2026, 0, 1),
  subject: null,
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 80,
});

describe.each(ENGINES)('group commit on %s', (engine) => {
  let store: Store;
  let orgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-writer-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each of many concurrent inserts on its own, the first of a repeated identity creating it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.events.insert(orgId, [event(`c-${i % 20}`)], Date.UTC(2026, 0, 2)),
      ),
    );
    const created = answers.map((a) => a[0]?.created);
    expect(created.slice(0, 20).every(Boolean)).toBe(true);
    expect(created.slice(20).some(Boolean)).toBe(false);
    expect(answers[25]?.[0]?.event).toEqual(answers[5]?.[0]?.event);
    expect(await store.usage.get(orgId, 'events', Date.UTC(2026, 0, 2))).toEqual({ month: 20, day: 20 });
  });

  it('answers a full batch of 1,000 resent events with the stored ones', async () => {
    const batch = Array.from({ length: 1_000 }, (_, i) => event(`full-${i}`));
    expect((await store.events.insert(orgId, batch, Date.now())).every((o) => o.created)).toBe(true);
    const again = await store.events.insert(orgId, batch, Date.now());
    expect(again.some((o) => o.created)).toBe(false);
    expect(again.map((o) => o.event.id)).toEqual(batch.map((e) => e.id));
  });

  it('isolates a failing insert: the others in the same write still commit', async () => {
    const results = await Promise.allSettled([
      store.events.insert(orgId, [event('ok-1')], Date.now()),
      store.events.insert('org_does_not_exist', [event('bad')], Date.now()),
      store.events.insert(orgId, [event('ok-2')], Date.now()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.events.findById(orgId, 'ok-1')).toHaveLength(1);
    expect(await store.events.findById(orgId, 'ok-2')).toHaveLength(1);
  });
});
