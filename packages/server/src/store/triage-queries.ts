/** The reads incident triage makes inside its consumer's transaction (the store's own handles would wait for it on SQLite). */
import type { StoredEvent } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { RENDERED_COLUMNS, toStoredEvent } from './event-rows.js';
import { withGuardrailTables } from './guardrail-tables.js';
import { type ImpactVerdictsTable, PENDING } from './impact-verdicts.js';
import type { Database } from './schema.js';

/** An organization's events in [from, to], newest first, at most `limit` (the `(org_id, time, seq)` index). */
export async function eventsBetween(
  db: Kysely<Database>,
  orgId: string,
  from: number,
  to: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select([...RENDERED_COLUMNS])
    .where('org_id', '=', orgId)
    .where('time', '>=', from)
    .where('time', '<=', to)
    .orderBy('time', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStoredEvent);
}

/**
 * The guardrails these events broke, in words ("Holiday Freeze (change freeze): …"), keyed by
 * source + NUL + id. Reads what the guardrails consumer has recorded so far: an event it has not
 * judged yet shows none.
 */
export async function guardrailsBrokenBy(
  db: Kysely<Database>,
  orgId: string,
  events: { id: string; source: string }[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (events.length === 0) return out;
  const rows = await withGuardrailTables(db)
    .selectFrom('guardrail_violations')
    .select(['event_id', 'event_source', 'guardrail_type', 'guardrail_name', 'reason'])
    .where('org_id', '=', orgId)
    .where('event_id', 'in', [...new Set(events.map((e) => e.id))])
    .orderBy('created_at')
    .execute();
  const wanted = new Set(events.map((e) => `${e.source}\u0000${e.id}`));
  for (const r of rows) {
    const key = `${r.event_source}\u0000${r.event_id}`;
    if (!wanted.has(key)) continue;
    const kind = r.guardrail_type === 'change-freeze' ? 'change freeze' : 'deployment policy';
    out.set(key, [...(out.get(key) ?? []), `${r.guardrail_name} (${kind}): ${r.reason}`]);
  }
  return out;
}

/** The judged impact verdicts of these events (pending and failed ones left out), keyed like guardrailsBrokenBy. */
export async function impactVerdictsOf(
  db: Kysely<Database>,
  orgId: string,
  events: { id: string; source: string }[],
): Promise<Map<string, { verdict: string; summary: string | null }>> {
  const out = new Map<string, { verdict: string; summary: string | null }>();
  if (events.length === 0) return out;
  const rows = await db
    .withTables<{ impact_verdicts: ImpactVerdictsTable }>()
    .selectFrom('impact_verdicts')
    .select(['event_id', 'event_source', 'verdict', 'summary'])
    .where('org_id', '=', orgId)
    .where('event_id', 'in', [...new Set(events.map((e) => e.id))])
    .where('verdict', 'not in', [PENDING, 'failed'])
    .execute();
  const wanted = new Set(events.map((e) => `${e.source}\u0000${e.id}`));
  for (const r of rows) {
    const key = `${r.event_source}\u0000${r.event_id}`;
    if (wanted.has(key)) out.set(key, { verdict: r.verdict, summary: r.summary });
  }
  return out;
}
