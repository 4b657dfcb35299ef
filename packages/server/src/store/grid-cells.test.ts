/**
 * The grid's table of cells (migration 024) against a full scan of the events, on both engines:
 * after events sent out of order, ties in time, a batch touching one cell many times, the latest
 * event of a cell deleted, retention, an organization deleted, and the migration's backfill.
 */
import type { NewEvent } from '@opstrails/core';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test-support/test-server.js';
import { storeForSuite } from '../../../../test-support/test-store.js';
import { deleteOrganization } from './account-deletion.js';
import { deleteEvent } from './event-deletion.js';
import { withinTransaction } from './event-write-ops.js';
import { EventWriter } from './event-writer.js';
import { up as gridCellsMigration } from './migrations/024-grid-cells.js';
import type { Store } from './store.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 1);

const event = (
  id: string,
  source: string,
  subject: string | null,
  minute: number,
  version: string | null = null,
): NewEvent => ({
  id,
  type: 'deployment',
  source,
  time: T0 + minute * MINUTE,
  subject,
  severity: null,
  version,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 100,
});

/** A cell as `gridCells` answers it: source/subject=latest id (latest versioned id). */
type Cells = string[];

describe.each(ENGINES)('grid cells on %s', (engine) => {
  const suite = storeForSuite(engine, 'grid');
  let store: Store;
  let orgId: string;

  /** What the grid answers, from the table. */
  const fromTable = async (from = 0): Promise<Cells> => {
    const { latest, versioned } = await store.events.gridCells(orgId, from);
    const v = new Map(versioned.map((r) => [`${r.source}/${r.subject}`, r.id]));
    return latest.map(
      (r) => `${r.source}/${r.subject}=${r.id} (${v.get(`${r.source}/${r.subject}`) ?? '-'})`,
    );
  };

  /** What a scan of every event gives: per cell the latest by (time, row number), and the latest with a version. */
  const fullScan = async (from = 0): Promise<Cells> => {
    const rows = await store.db
      .selectFrom('events')
      .select(['seq', 'id', 'source', 'subject', 'time', 'version'])
      .where('org_id', '=', orgId)
      .where('subject', 'is not', null)
      .execute();
    const later = (a: (typeof rows)[number], b: (typeof rows)[number] | undefined) =>
      !b ||
      Number(a.time) > Number(b.time) ||
      (Number(a.time) === Number(b.time) && Number(a.seq) > Number(b.seq));
    const cells = new Map<string, { latest?: (typeof rows)[number]; versioned?: (typeof rows)[number] }>();
    for (const row of rows) {
      const key = `${row.source}/${row.subject}`;
      const cell = cells.get(key) ?? {};
      if (later(row, cell.latest)) cell.latest = row;
      if (row.version !== null && later(row, cell.versioned)) cell.versioned = row;
      cells.set(key, cell);
    }
    return [...cells]
      .filter(([, c]) => Number(c.latest?.time) >= from)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, c]) => `${key}=${c.latest?.id} (${c.versioned?.id ?? '-'})`);
  };

  const expectFresh = async () => {
    for (const from of [0, T0 + 30 * MINUTE, T0 + 1_000 * MINUTE]) {
      expect([...(await fromTable(from))].sort()).toEqual(await fullScan(from));
    }
  };

  beforeAll(() => {
    ({ store, orgId } = suite);
  });

  it('follows inserts: a later event moves a cell, an older one sent afterwards does not', async () => {
    await store.events.insert(
      orgId,
      [
        event('be-1', 'BE', 'PRODUCTION', 10, '1.0'),
        event('be-2', 'BE', 'PRODUCTION', 50),
        // One batch touching a cell several times, out of order.
        event('fe-3', 'FE', 'STAGING', 40, '3.0'),
        event('fe-1', 'FE', 'STAGING', 60),
        event('fe-2', 'FE', 'STAGING', 20, '2.0'),
        event('nosubject', 'FE', null, 90, '9.0'),
      ],
      T0,
    );
    expect(await fromTable()).toEqual(['BE/PRODUCTION=be-2 (be-1)', 'FE/STAGING=fe-1 (fe-3)']);
    // Older events arriving later (out of order) leave the cells alone...
    await store.events.insert(orgId, [event('be-0', 'BE', 'PRODUCTION', 5, '0.9')], T0);
    await store.events.insert(orgId, [event('fe-0', 'FE', 'STAGING', 30, '2.5')], T0);
    expect(await fromTable()).toEqual(['BE/PRODUCTION=be-2 (be-1)', 'FE/STAGING=fe-1 (fe-3)']);
    // ...a tie in time goes to the one stored last, and a new spelling is a cell of its own.
    await store.events.insert(
      orgId,
      [event('be-tie', 'BE', 'PRODUCTION', 50, '1.1'), event('lower', 'be', 'PRODUCTION', 1)],
      T0,
    );
    expect(await fromTable()).toEqual([
      'BE/PRODUCTION=be-tie (be-tie)',
      'FE/STAGING=fe-1 (fe-3)',
      'be/PRODUCTION=lower (-)',
    ]);
    await expectFresh();
    // The window counts the latest event: a cell whose latest is older is out, as in a scan.
    expect(await fromTable(T0 + 55 * MINUTE)).toEqual(['FE/STAGING=fe-1 (fe-3)']);
  });

  it('follows deletes: the latest event of a cell deleted hands it to the next, an emptied cell goes', async () => {
    expect(await deleteEvent(store.db, orgId, 'be-tie', 'BE')).not.toBeNull();
    expect(await fromTable()).toContain('BE/PRODUCTION=be-2 (be-1)');
    await deleteEvent(store.db, orgId, 'fe-3', 'FE');
    expect(await fromTable()).toContain('FE/STAGING=fe-1 (fe-0)');
    await deleteEvent(store.db, orgId, 'lower', 'be');
    expect(await fromTable()).toEqual(['BE/PRODUCTION=be-2 (be-1)', 'FE/STAGING=fe-1 (fe-0)']);
    await expectFresh();
  });

  it('follows retention: cells whose events all expired go, the others keep their latest', async () => {
    await store.events.insert(
      orgId,
      [event('old-1', 'DB', 'STAGING', 2, '5.0'), event('old-2', 'DB', 'STAGING', 3)],
      T0,
    );
    // Small batches, so the deletes run as several statements.
    await store.events.deleteOlderThan(orgId, T0 + 12 * MINUTE, 2);
    expect(await fromTable()).toEqual(['BE/PRODUCTION=be-2 (-)', 'FE/STAGING=fe-1 (fe-0)']);
    await expectFresh();
    // Every event in one statement: each cell's events go together.
    await store.events.insert(orgId, [event('fe-4', 'FE', 'STAGING', 70, '4.0')], T0);
    await store.events.deleteOlderThan(orgId, T0 + 65 * MINUTE, 1_000);
    expect(await fromTable()).toEqual(['FE/STAGING=fe-4 (fe-4)']);
    await expectFresh();
  });

  it('is rebuilt by the migration from the stored events', async () => {
    await store.events.insert(
      orgId,
      [
        event('m-1', 'CI', 'DEVELOPMENT', 100, '7.0'),
        event('m-2', 'CI', 'DEVELOPMENT', 100),
        event('m-3', 'CI', 'PRODUCTION', 90),
      ],
      T0,
    );
    const before = await fromTable();
    await sql
      .raw(`drop trigger grid_cells_deleted${engine === 'postgres' ? ' on events' : ''}`)
      .execute(store.db);
    if (engine === 'postgres') await sql.raw('drop function grid_cells_deleted()').execute(store.db);
    await sql.raw('drop table grid_cells').execute(store.db);
    await gridCellsMigration(store.db as unknown as Kysely<unknown>, engine);
    expect(await fromTable()).toEqual(before);
    await expectFresh();
  });

  it("follows events written inside a consumer's transaction (the writer on a transaction it is given)", async () => {
    const before = orgId;
    orgId = (await store.organizations.create('consumer', 'Consumer')).id;
    await store.db
      .transaction()
      .execute((trx) =>
        new EventWriter(withinTransaction(trx)).write(
          orgId,
          [event('c-2', 'OTEL', 'PRODUCTION', 20, '2.0'), event('c-1', 'OTEL', 'PRODUCTION', 10, '1.0')],
          T0,
        ),
      );
    expect(await fromTable()).toEqual(['OTEL/PRODUCTION=c-2 (c-2)']);
    await expectFresh();
    orgId = before;
  });

  it('empties an organization deleted with its events', async () => {
    const other = await store.organizations.create('other', 'Other');
    await store.events.insert(other.id, [event('o-1', 'BE', 'PRODUCTION', 5, '1.0')], T0);
    await deleteOrganization(store, orgId);
    const left = await store.db
      .withTables<{ grid_cells: { org_id: string } }>()
      .selectFrom('grid_cells')
      .select('org_id')
      .execute();
    expect(left.map((r) => r.org_id)).not.toContain(orgId);
    expect(left.filter((r) => r.org_id === other.id)).toHaveLength(1);
  });
});
