/**
 * Version detection waits a grace period before it decides (OPSTRAILS_VERSION_DETECTION_GRACE_MS):
 * a version that shows up at a place is kept on its observed_versions row as a candidate until a
 * periodic job decides it (reactions/consumers/version-detection.ts). `pending_since` is the
 * first span's time (the detected event's time), `pending_noticed_at` when the server saw it (the
 * grace counts from there), `pending_previous` the version it replaced, `pending_span` the first
 * span's event id. All null when nothing waits.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  const columns = [
    ['pending_since', bigint],
    ['pending_noticed_at', bigint],
    ['pending_previous', 'text'],
    ['pending_span', 'text'],
  ] as const;
  for (const [name, type] of columns)
    await db.schema.alterTable('observed_versions').addColumn(name, type).execute();
}
