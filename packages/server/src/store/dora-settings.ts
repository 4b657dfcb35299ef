/** The DORA settings of each organization (migration 011); an organization without a row has the defaults. */
import { formatTime } from '@opstrails/core';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export const DEFAULT_FAILURE_WINDOW_MS = 4 * 3_600_000;

export interface DoraSettings {
  failureWindowMs: number;
  /** Null while the organization uses the defaults. */
  updatedAt: string | null;
}

export class DoraSettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(orgId: string): Promise<DoraSettings> {
    const row = await this.db
      .selectFrom('dora_settings')
      .select(['failure_window_ms', 'updated_at'])
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return row
      ? { failureWindowMs: Number(row.failure_window_ms), updatedAt: formatTime(Number(row.updated_at)) }
      : { failureWindowMs: DEFAULT_FAILURE_WINDOW_MS, updatedAt: null };
  }

  async setFailureWindow(orgId: string, failureWindowMs: number, now = Date.now()): Promise<DoraSettings> {
    await this.db
      .insertInto('dora_settings')
      .values({ org_id: orgId, failure_window_ms: failureWindowMs, updated_at: now })
      .onConflict((oc) =>
        oc.column('org_id').doUpdateSet({ failure_window_ms: failureWindowMs, updated_at: now }),
      )
      .execute();
    return { failureWindowMs, updatedAt: formatTime(now) };
  }
}
