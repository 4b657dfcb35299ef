/**
 * The per-value counts (migration 026) that `countBy` reads, against the grouped scan of every
 * event that `countBy` ran before (kept here as the oracle), on both engines: after batches,
 * an event sent out of order, identities sent again, the latest and the last event of a value
 * deleted, retention, a consumer's batch, an organization deleted, and the migration's backfill.
 */
import { formatTime, type NewEvent } from '@opstrails/core';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test-support/test-server.js';
import { storeForSuite } from '../../../../test-support/test-store.js';
import { deleteOrganization } from './account-deletion.js';
import { deleteEvent } from './event-deletion.js';
import { withinTransaction } from './event-write-ops.js';
import { EventWriter } from './event-writer.js';
import { up as valueCountsMigration } from './migrations/026-value-counts.js';
import type { Store } from './store.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 1);
const FIELDS = ['type', 'source', 'subject'] as const;
type Field = (typeof FIELDS)[number];

const event = (
  id: string,
  type: string,
  source: string,
  subject: string | null,
  minute: number,
): NewEvent => ({
  id,
  type,
  source,
  time: T0 + minute * MINUTE,
  subject,
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 100,
});

describe.each(ENGINES)('value counts on %s', (engine) => {
  const suite = storeForSuite(engine, 'values');
  let store: Store;
  let orgId: string;

  /** The query `countBy` ran before migration 026: every event of the organization grouped. */
  const fullScan = async (column: Field) => {
    const rows = await store.db
      .selectFrom('events')
      .select([column, (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.max('time').as('last')])
      .where('org_id', '=', orgId)
      .where(column, 'is not', null)
      .groupBy(column)
      .orderBy('count', 'desc')
      .orderBy(column)
      .execute();
    return rows.map((r) => ({
      value: String(r[column]),
      count: Number(r.count),
      lastSeen: formatTime(Number(r.last)),
    }));
  };

  const expectFresh = async () => {
    for (const field of FIELDS)
      expect(await store.events.countBy(orgId, field)).toEqual(await fullScan(field));
  };

  const lastSeen = async (field: Field, value: string) =>
    (await store.events.countBy(orgId, field)).find((r) => r.value === value);

  beforeAll(() => {
    ({ store, orgId } = suite);
  });

  it('adds batches, an older event sent afterwards, and only the identities not stored yet', async () => {
    await store.events.insert(
      orgId,
      [
        event('a-1', 'deploy', 'BE', 'PRODUCTION', 10),
        event('a-2', 'deploy', 'BE', 'STAGING', 50),
        event('a-3', 'Deploy', 'FE', 'production', 60),
        event('a-4', 'incident', 'FE', null, 40),
        event('a-5', 'deploy', 'be', 'ÉTÉ', 20),
      ],
      T0,
    );
    await store.events.insert(
      orgId,
      [event('b-1', 'deploy', 'BE', 'PRODUCTION', 70), event('b-2', 'Deploy', 'FE', 'été', 30)],
      T0,
    );
    expect(await store.events.countBy(orgId, 'type')).toEqual([
      { value: 'deploy', count: 4, lastSeen: formatTime(T0 + 70 * MINUTE) },
      { value: 'Deploy', count: 2, lastSeen: formatTime(T0 + 60 * MINUTE) },
      { value: 'incident', count: 1, lastSeen: formatTime(T0 + 40 * MINUTE) },
    ]);
    await expectFresh();
    // An older event sent afterwards counts, and leaves the latest time alone.
    await store.events.insert(orgId, [event('old', 'deploy', 'BE', 'PRODUCTION', 1)], T0);
    expect(await lastSeen('type', 'deploy')).toEqual({
      value: 'deploy',
      count: 5,
      lastSeen: formatTime(T0 + 70 * MINUTE),
    });
    await expectFresh();
    // Identities sent again (in a batch with a new one) are not inserted, so not counted again.
    const outcomes = await store.events.insert(
      orgId,
      [
        event('a-1', 'deploy', 'BE', 'PRODUCTION', 99),
        event('b-1', 'deploy', 'BE', 'PRODUCTION', 99),
        event('c-1', 'incident', 'FE', null, 80),
      ],
      T0,
    );
    expect(outcomes.map((o) => o.created)).toEqual([false, false, true]);
    expect(await lastSeen('type', 'deploy')).toMatchObject({
      count: 5,
      lastSeen: formatTime(T0 + 70 * MINUTE),
    });
    expect(await lastSeen('type', 'incident')).toMatchObject({
      count: 2,
      lastSeen: formatTime(T0 + 80 * MINUTE),
    });
    await expectFresh();
  });

  it('moves the latest time back when the latest event of a value is deleted, and drops a value with no event left', async () => {
    // `Deploy`'s latest (60) goes: its next is 30, not `deploy`'s 70 (the same folded value).
    expect(await deleteEvent(store.db, orgId, 'a-3', 'FE')).not.toBeNull();
    expect(await lastSeen('type', 'Deploy')).toEqual({
      value: 'Deploy',
      count: 1,
      lastSeen: formatTime(T0 + 30 * MINUTE),
    });
    expect(await lastSeen('subject', 'production')).toBeUndefined();
    expect(await lastSeen('source', 'FE')).toMatchObject({
      count: 3,
      lastSeen: formatTime(T0 + 80 * MINUTE),
    });
    await expectFresh();
    // An event that is not the latest of its values: the counts go down, the times stay.
    await deleteEvent(store.db, orgId, 'a-5', 'be');
    expect(await lastSeen('source', 'be')).toBeUndefined();
    expect(await lastSeen('type', 'deploy')).toMatchObject({
      count: 4,
      lastSeen: formatTime(T0 + 70 * MINUTE),
    });
    await deleteEvent(store.db, orgId, 'b-1', 'BE');
    expect(await lastSeen('type', 'deploy')).toMatchObject({
      count: 3,
      lastSeen: formatTime(T0 + 50 * MINUTE),
    });
    expect(await lastSeen('subject', 'PRODUCTION')).toMatchObject({
      count: 2,
      lastSeen: formatTime(T0 + 10 * MINUTE),
    });
    await expectFresh();
  });

  it('follows retention, in several statements and in one', async () => {
    await store.events.insert(
      orgId,
      [event('r-1', 'rollback', 'DB', 'STAGING', 2), event('r-2', 'rollback', 'DB', 'STAGING', 3)],
      T0,
    );
    await store.events.deleteOlderThan(orgId, T0 + 12 * MINUTE, 2);
    expect(await lastSeen('type', 'rollback')).toBeUndefined();
    expect(await lastSeen('subject', 'PRODUCTION')).toBeUndefined();
    await expectFresh();
    await store.events.deleteOlderThan(orgId, T0 + 45 * MINUTE, 1_000);
    expect(await store.events.countBy(orgId, 'type')).toEqual([
      { value: 'deploy', count: 1, lastSeen: formatTime(T0 + 50 * MINUTE) },
      { value: 'incident', count: 1, lastSeen: formatTime(T0 + 80 * MINUTE) },
    ]);
    await expectFresh();
  });

  it("follows events written inside a consumer's transaction", async () => {
    await store.db
      .transaction()
      .execute((trx) =>
        new EventWriter(withinTransaction(trx)).write(
          orgId,
          [
            event('k-2', 'version', 'OTEL', 'PRODUCTION', 120),
            event('k-1', 'version', 'OTEL', 'PRODUCTION', 110),
          ],
          T0,
        ),
      );
    expect(await lastSeen('type', 'version')).toEqual({
      value: 'version',
      count: 2,
      lastSeen: formatTime(T0 + 120 * MINUTE),
    });
    await expectFresh();
  });

  it('is backfilled by the migration from the stored events', async () => {
    await store.events.insert(
      orgId,
      [
        event('m-1', 'deploy', 'CI', 'DEV', 100),
        event('m-2', 'Deploy', 'CI', 'DEV', 100),
        event('m-3', 'build', 'ci', null, 90),
      ],
      T0,
    );
    const before = await Promise.all(FIELDS.map((f) => store.events.countBy(orgId, f)));
    await sql
      .raw(`drop trigger value_counts_deleted${engine === 'postgres' ? ' on events' : ''}`)
      .execute(store.db);
    if (engine === 'postgres') await sql.raw('drop function value_counts_deleted()').execute(store.db);
    await sql.raw('drop table value_counts').execute(store.db);
    await valueCountsMigration(store.db as unknown as Kysely<unknown>, engine);
    expect(await Promise.all(FIELDS.map((f) => store.events.countBy(orgId, f)))).toEqual(before);
    await expectFresh();
    // The recreated trigger follows deletes.
    await deleteEvent(store.db, orgId, 'm-3', 'ci');
    expect(await lastSeen('type', 'build')).toBeUndefined();
    await expectFresh();
  });

  it('finds the latest remaining event of a value by an index seek (the query of the delete trigger)', async () => {
    for (const field of FIELDS) {
      const query = sql`select e.time from events e
        where e.org_id = ${orgId} and ${sql.ref(`e.${field}_lower`)} = 'x' and ${sql.ref(`e.${field}`)} = 'X'
        order by e.time desc limit 1`;
      if (engine === 'sqlite') {
        const plan = await sql<{ detail: string }>`explain query plan ${query}`.execute(store.db);
        const details = plan.rows.map((r) => r.detail).join('; ');
        expect(details).toMatch(
          new RegExp(
            `^SEARCH e USING (COVERING )?INDEX events_${field}_lower_time \\(org_id=\\? AND ${field}_lower=\\?\\)$`,
          ),
        );
      } else {
        // A handful of rows: PostgreSQL would read the table whole; what matters is that the
        // index answers the seek in order, with no sort.
        const plan = await store.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          return sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
        });
        const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(text).toContain(`Index Cond: ((org_id = `);
        expect(text).toMatch(new RegExp(`Index (Only )?Scan Backward using events_${field}_lower_time`));
        expect(text).not.toContain('Sort');
      }
    }
  });

  it('empties an organization deleted with its events', async () => {
    const other = await store.organizations.create('other', 'Other');
    await store.events.insert(other.id, [event('o-1', 'deploy', 'BE', 'PRODUCTION', 5)], T0);
    await deleteOrganization(store, orgId);
    const left = await store.db
      .withTables<{ value_counts: { org_id: string } }>()
      .selectFrom('value_counts')
      .select('org_id')
      .execute();
    expect(left.map((r) => r.org_id)).not.toContain(orgId);
    expect(left.filter((r) => r.org_id === other.id)).toHaveLength(3);
    orgId = other.id;
    await expectFresh();
  });
});
