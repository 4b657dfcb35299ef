/**
 * Receivers (migration 016): the webhook addresses of each organization. The secret arrives
 * sealed and leaves sealed; receivers/service.ts seals and opens it. The table is typed here,
 * beside its repository, through `withTables` (as channel-tables.ts does).
 */
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

interface ReceiversTable {
  id: string;
  org_id: string;
  kind: string;
  name: string;
  subject: string | null;
  source: string | null;
  /** Sealed (secrets.ts). */
  secret: string;
  created_at: number;
  updated_at: number;
}

type ReceiverDatabase = Database & { receivers: ReceiversTable };

export interface ReceiverRow {
  id: string;
  orgId: string;
  kind: string;
  name: string;
  subject: string | null;
  source: string | null;
  sealedSecret: string;
  createdAt: number;
  updatedAt: number;
}

const toRow = (r: ReceiversTable): ReceiverRow => ({
  id: r.id,
  orgId: r.org_id,
  kind: r.kind,
  name: r.name,
  subject: r.subject,
  source: r.source,
  sealedSecret: r.secret,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class ReceiverRepository {
  private readonly db: Kysely<ReceiverDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ receivers: ReceiversTable }>();
  }

  async create(
    orgId: string,
    input: {
      kind: string;
      name: string;
      subject: string | null;
      source: string | null;
      sealedSecret: string;
    },
    now = Date.now(),
  ): Promise<ReceiverRow> {
    const row: ReceiversTable = {
      id: newId('rcv'),
      org_id: orgId,
      kind: input.kind,
      name: input.name,
      subject: input.subject,
      source: input.source,
      secret: input.sealedSecret,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('receivers').values(row).execute();
    return toRow(row);
  }

  async list(orgId: string): Promise<ReceiverRow[]> {
    const rows = await this.db
      .selectFrom('receivers')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRow);
  }

  /** By id alone: the inbound address carries no organization, the receiver names it. */
  async byId(id: string): Promise<ReceiverRow | null> {
    const row = await this.db.selectFrom('receivers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRow(row) : null;
  }

  async setSecret(orgId: string, id: string, sealedSecret: string, now = Date.now()): Promise<boolean> {
    const result = await this.db
      .updateTable('receivers')
      .set({ secret: sealedSecret, updated_at: now })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('receivers')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
