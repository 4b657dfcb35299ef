/**
 * The audit log of admin actions (migration 018): who did what to which target, when, in one
 * organization. Entries are only ever added; the API lists them newest first, a page at a time.
 */
import { ApiError } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface AuditLogTable {
  id: string;
  org_id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  details: string | null;
  address: string | null;
}

type AuditDatabase = Database & { audit_log: AuditLogTable };

/** Who acted: a console user, an API key, or an admin command run on the server's store. */
export interface AuditActor {
  type: 'user' | 'key' | 'cli';
  id: string | null;
  /** The user's email or the key's name, kept so the entry reads well after they are gone. */
  label: string | null;
}

export interface AuditTarget {
  type: string;
  id: string | null;
  label?: string | null;
}

export interface NewAuditEntry {
  orgId: string;
  actor: AuditActor;
  /** `<resource>.<verb>`: `key.created`, `member.removed`, `event.deleted`, … (docs/operations.md lists them). */
  action: string;
  target?: AuditTarget;
  details?: Record<string, unknown>;
  address?: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: { type: string; id: string | null; label: string | null } | null;
  details: Record<string, unknown> | null;
  address: string | null;
}

const encodeCursor = (at: number, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // answered below
  }
  throw new ApiError(
    'VALIDATION_ERROR',
    'cursor: is not a cursor of this list; pass the nextCursor of the previous page unchanged',
  );
}

export class AuditLogRepository {
  private readonly db: Kysely<AuditDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ audit_log: AuditLogTable }>();
  }

  async record(entry: NewAuditEntry, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: newId('aud'),
        org_id: entry.orgId,
        at: now,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id,
        actor_label: entry.actor.label,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        target_label: entry.target?.label ?? null,
        details: entry.details ? JSON.stringify(entry.details) : null,
        address: entry.address ?? null,
      })
      .execute();
  }

  /** Newest first; `cursor` is the `nextCursor` of the previous page. */
  async list(
    orgId: string,
    options: { limit: number; cursor?: string; action?: string },
  ): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('audit_log').selectAll().where('org_id', '=', orgId);
    if (options.action) q = q.where('action', '=', options.action);
    if (options.cursor) {
      const [at, id] = decodeCursor(options.cursor);
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      entries: page.map((r) => ({
        id: r.id,
        at: new Date(Number(r.at)).toISOString(),
        actor: { type: r.actor_type as AuditActor['type'], id: r.actor_id, label: r.actor_label },
        action: r.action,
        target: r.target_type ? { type: r.target_type, id: r.target_id, label: r.target_label } : null,
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
        address: r.address,
      })),
      nextCursor: rows.length > options.limit && last ? encodeCursor(Number(last.at), last.id) : null,
    };
  }

  /** An organization's entries, except those recording its deletion (kept as the trace of who deleted it). */
  async deleteOrganization(db: Kysely<Database>, orgId: string): Promise<void> {
    await db
      .withTables<{ audit_log: AuditLogTable }>()
      .deleteFrom('audit_log')
      .where('org_id', '=', orgId)
      .where('action', '!=', 'organization.deleted')
      .execute();
  }
}
