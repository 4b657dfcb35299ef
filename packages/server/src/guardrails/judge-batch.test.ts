/**
 * Judging a batch at once (one history query per policy) answers exactly what judging each event
 * alone against the log up to itself answers, on both engines: a stored timeline of deploys,
 * rollbacks and incidents across days, sources and subjects (some out of time order), judged by
 * every rule type and a freeze window, in batches of 1, 7, 50 and all, and with span caps so small
 * that most events are decided from a cut-short span or fall back to their own queries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { LOG_START, positionOf } from '../store/event-log.js';
import type { EventRow } from '../store/event-rows.js';
import { GuardrailRepository } from '../store/guardrails.js';
import { openStore, type Store } from '../store/store.js';
import { type BatchItem, judgeBatch, judgeEvent } from './judge.js';

const T0 = Date.UTC(2026, 10, 6, 12); // a Friday, 13:00 in Berlin
const MINUTE = 60_000;
const N = 240;

const TYPES = [
  'deployment',
  'deployment',
  'deployment',
  'rollback',
  'deployment',
  'incident',
  'config-change',
];
const SOURCES = ['BE', 'FE', 'DB'];
const SUBJECTS = ['PRODUCTION', 'STAGING', null];

/** Every 11 minutes on average over about two days, every fifth one 25 minutes late (stored out of time order). */
const timeline = (): NewEvent[] =>
  Array.from({ length: N }, (_, k) => ({
    id: `e${k}`,
    type: TYPES[k % TYPES.length] as string,
    source: SOURCES[(k * 5) % SOURCES.length] as string,
    subject: SUBJECTS[(k * 7) % SUBJECTS.length] ?? null,
    time: T0 + k * 11 * MINUTE - (k % 5 === 0 ? 25 * MINUTE : 0),
    severity: null,
    version: null,
    datacontenttype: 'application/json',
    dataschema: null,
    data: null,
    size: 50,
  }));

const item = (row: EventRow): BatchItem => ({
  event: {
    type: row.type,
    source: row.source,
    subject: row.subject,
    severity: row.severity,
    time: Number(row.time),
  },
  position: positionOf(row),
  existingAt: Number(row.received_at),
});

describe.each(ENGINES)('judging a batch at once on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let repo: GuardrailRepository;
  let rows: EventRow[];
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-judge-batch-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    repo = new GuardrailRepository(store.db, store.engine);
    const base = {
      sources: [] as string[],
      types: [] as string[],
      severities: [] as string[],
      subjects: [] as string[],
      notificationChannels: [] as string[],
      enabled: true,
    };
    const policies: [string, Record<string, unknown>, Partial<typeof base>][] = [
      ['DAILY_CAP', { maxCount: 5, timezone: 'Europe/Berlin' }, { subjects: ['PRODUCTION'] }],
      ['COOLDOWN', { cooldownMinutes: 40 }, {}],
      ['VELOCITY', { maxCount: 3, windowMinutes: 90 }, { sources: ['BE', 'FE'] }],
      ['ROLLBACK_RATE', { threshold: 0.2, windowHours: 6, minDeployments: 3 }, {}],
      ['ALLOWED_HOURS', { startHour: 7, endHour: 20, timezone: 'America/New_York' }, {}],
      [
        'BLOCKED_DAYS',
        { days: ['SATURDAY', 'SUNDAY'], timezone: 'Europe/Berlin' },
        { types: ['deployment'] },
      ],
    ];
    for (const [ruleType, config, filters] of policies)
      await repo.createPolicy(
        orgId,
        { ...base, ...filters, name: ruleType, ruleType: ruleType as never, config },
        T0,
      );
    await repo.createFreeze(
      orgId,
      {
        ...base,
        name: 'evening freeze',
        startsAt: T0 + 6 * 60 * MINUTE,
        endsAt: T0 + 9 * 60 * MINUTE,
        recurrence: null,
      },
      T0,
    );
    const events = timeline();
    // Several commits, so the batches below straddle them.
    for (let i = 0; i < N; i += 40)
      await store.events.insert(orgId, events.slice(i, i + 40), T0 + 3 * 24 * 60 * MINUTE);
    // PostgreSQL's log shows a commit once every earlier transaction on the cluster has ended.
    await vi.waitFor(
      async () => {
        rows = await store.log.read(LOG_START, N + 1, { orgId });
        expect(rows).toHaveLength(N);
      },
      { timeout: 20_000, interval: 50 },
    );
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const reasons = (broken: { finding: { reason: string } }[][]) =>
    broken.map((b) => b.map((x) => x.finding.reason));

  it('finds what judging event by event finds, whatever the batch size', async () => {
    const set = (await repo.enabledFor([orgId])).get(orgId);
    if (!set) throw new Error('no guardrails');
    const oneByOne = [];
    for (const row of rows) {
      const it = item(row);
      oneByOne.push(await judgeEvent(repo, orgId, set, it.event, it.position, it.existingAt));
    }
    // Not a vacuous comparison: every rule type and the window broke somewhere, and most events broke nothing.
    const ruleTypes = new Set(oneByOne.flat().map((b) => b.finding.ruleType));
    expect([...ruleTypes].sort()).toEqual(
      [
        'ALLOWED_HOURS',
        'BLOCKED_DAYS',
        'COOLDOWN',
        'DAILY_CAP',
        'FREEZE',
        'ROLLBACK_RATE',
        'VELOCITY',
      ].sort(),
    );
    expect(oneByOne.filter((b) => b.length === 0).length).toBeGreaterThan(0);

    for (const [size, spanCap] of [
      [1, undefined],
      [7, undefined],
      [50, undefined],
      [N, undefined],
      [50, 2],
      [N, 1],
      [7, 5],
    ] as const) {
      const batched = [];
      for (let i = 0; i < rows.length; i += size)
        batched.push(
          ...(await judgeBatch(repo, orgId, set, rows.slice(i, i + size).map(item), undefined, spanCap)),
        );
      expect({ size, spanCap, reasons: reasons(batched) }).toEqual({
        size,
        spanCap,
        reasons: reasons(oneByOne),
      });
    }
  });

  it('does not judge an event by a policy created after it was stored, yet counts that event for later ones', async () => {
    const set = (await repo.enabledFor([orgId])).get(orgId);
    if (!set) throw new Error('no guardrails');
    const cap = set.policies.find((p) => p.ruleType === 'DAILY_CAP');
    if (!cap) throw new Error('no cap');
    const items = rows.map(item);
    // The policy is created just after the tenth PRODUCTION event of the batch was stored.
    const production = items.filter((x) => x.event.subject === 'PRODUCTION');
    const cut = production[9]?.existingAt as number;
    const later = items.map((x, i) => ({
      ...x,
      existingAt: i <= items.indexOf(production[9] as BatchItem) ? cut - 1 : cut + 1,
    }));
    const late = { freezes: [], policies: [{ ...cap, createdAt: cut }] };
    const batched = await judgeBatch(repo, orgId, late, later);
    const oneByOne = [];
    for (const x of later)
      oneByOne.push(await judgeEvent(repo, orgId, late, x.event, x.position, x.existingAt));
    expect(reasons(batched)).toEqual(reasons(oneByOne));
    expect(batched.slice(0, items.indexOf(production[9] as BatchItem) + 1).flat()).toEqual([]);
    expect(batched.flat().length).toBeGreaterThan(0);
  });
});
