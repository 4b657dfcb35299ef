import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { guardrails } from '../guardrails/repository.js';
import { type DeploymentRow, DoraJudgementRepository } from '../store/dora-judgements.js';
import { ImpactVerdictRepository } from '../store/impact-verdicts.js';
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

  it('deletes in bounded batches, and inserts go through between them', async () => {
    const org = await store.organizations.create('batched-org', 'Batched', 'free');
    const old = Array.from({ length: 2_500 }, (_, i) => event(`old-${i}`, 10));
    for (let i = 0; i < old.length; i += 1_000)
      await store.events.insert(org.id, old.slice(i, i + 1_000), NOW);
    await store.events.insert(org.id, [event('kept', 1)], NOW);

    let deleting = true;
    const deletion = store.events.deleteOlderThan(org.id, NOW - 7 * DAY, 100).finally(() => {
      deleting = false;
    });
    const [written] = await store.events.insert(org.id, [event('during', 0)], NOW);
    // One statement for all 2,500 rows would answer the insert only after the whole deletion.
    const insertedWhileDeleting = deleting;

    expect(await deletion).toBe(2_500);
    expect(written?.created).toBe(true);
    expect(insertedWhileDeleting).toBe(true);
    const left = (await store.events.list(org.id, {}, 10)).rows.map((r) => r.id);
    expect(left.sort()).toEqual(['during', 'kept']);
  });

  it('deletes the guardrail violations of the events it deletes, and keeps the rest', async () => {
    const org = await store.organizations.create('violations-org', 'Violations', 'free');
    const unlimited = await store.organizations.ensureDefault();
    const repo = guardrails(store);
    const violation = (id: string, daysAgo: number, seq: number) => ({
      finding: {
        guardrailType: 'deployment-policy' as const,
        guardrailId: `pol_${id}`,
        guardrailName: 'no Friday deploys',
        ruleType: 'BLOCKED_DAYS' as const,
        reason: 'a Friday',
      },
      event: {
        seq,
        id,
        source: 'BE',
        type: 'deployment',
        subject: null,
        version: null,
        time: NOW - daysAgo * DAY,
      },
    });
    await repo.recordViolations(org.id, [violation('v-old', 9, 1), violation('v-recent', 2, 2)]);
    await repo.recordViolations(unlimited.id, [violation('v-ancient', 400, 3)]);

    await applyRetention(store, NOW);
    const left = async (orgId: string) =>
      (await repo.listViolations(orgId, { limit: 10 })).violations.map((v) => v.event.id);
    expect(await left(org.id)).toEqual(['v-recent']);
    expect(await left(unlimited.id)).toEqual(['v-ancient']);
    expect(await repo.pruneViolations(org.id, NOW, 1)).toBe(1);
    expect(await left(org.id)).toEqual([]);
  });

  it('deletes the impact verdicts and judged DORA deployments of the events it deletes, and the DORA days before the cut', async () => {
    const org = await store.organizations.create('derived-org', 'Derived', 'free');
    const unlimited = await store.organizations.ensureDefault();
    await store.events.insert(org.id, [event('d-old', 9), event('d-recent', 2)], NOW);
    await store.events.insert(unlimited.id, [event('d-ancient', 400)], NOW);
    const verdicts = new ImpactVerdictRepository(store.db);
    const pending = (orgId: string, id: string, daysAgo: number) => ({
      orgId,
      eventId: id,
      eventSource: 'BE',
      eventTime: NOW - daysAgo * DAY,
      subject: 'PRODUCTION',
      window: '1h',
      dueAt: NOW,
    });
    await verdicts.addPending([pending(org.id, 'd-old', 9), pending(org.id, 'd-recent', 2)], NOW);
    await verdicts.addPending([pending(unlimited.id, 'd-ancient', 400)], NOW);
    const dora = new DoraJudgementRepository(store.db, store.readDb, store.engine);
    const deployment = (orgId: string, id: string, daysAgo: number): DeploymentRow => ({
      org_id: orgId,
      event_source: 'BE',
      event_id: id,
      time: NOW - daysAgo * DAY,
      subject: 'PRODUCTION',
      subject_lower: 'production',
      source_lower: 'be',
      type: 'deployment',
      version: null,
      evidence: null,
      failure: null,
      restore: null,
      restore_ms: null,
      rework: null,
      lead_ms: null,
      commits: 0,
      promotion_ms: null,
    });
    await dora.replace(org.id, 0, NOW, [deployment(org.id, 'd-old', 9), deployment(org.id, 'd-recent', 2)]);
    await dora.replace(unlimited.id, 0, NOW, [deployment(unlimited.id, 'd-ancient', 400)]);
    const today = NOW / DAY;
    await dora.mark(org.id, [today - 20, today - 2]);

    await applyRetention(store, NOW);

    const verdictOf = (orgId: string, id: string) => verdicts.forEvent(orgId, 'BE', id);
    expect(await verdictOf(org.id, 'd-old')).toBeUndefined();
    expect(await verdictOf(org.id, 'd-recent')).toMatchObject({ event_id: 'd-recent' });
    expect(await verdictOf(unlimited.id, 'd-ancient')).toMatchObject({ event_id: 'd-ancient' });
    const judged = async (orgId: string) =>
      (
        await store.db
          .withTables<{ dora_deployments: DeploymentRow }>()
          .selectFrom('dora_deployments')
          .select('event_id')
          .where('org_id', '=', orgId)
          .execute()
      ).map((r) => r.event_id);
    expect(await judged(org.id)).toEqual(['d-recent']);
    expect(await judged(unlimited.id)).toEqual(['d-ancient']);
    // The day marked 20 days ago and the one the deleted event's trigger marked (9 days ago) are before the cut.
    expect((await dora.dirty(org.id, 0, today)).map((d) => d.day)).toEqual([today - 2]);
  });
});
