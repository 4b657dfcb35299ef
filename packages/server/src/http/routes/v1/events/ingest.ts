/**
 * The one write path for events sent in bulk (a batch, OTLP spans): validate each, admit the
 * valid ones against the quota, store them, then wake the live feed once.
 */
import { randomUUID } from 'node:crypto';
import type { AcceptedEvent, BatchResult, NewEvent, StoredEvent } from '@opstrails/core';
import { validateIncoming } from '../../../../receivers/cdevents.js';
import type { AppContext } from '../../../context.js';

/** `rejected[].index` is the item's position in `items`; a resend of source + id counts as accepted. */
export async function ingestEvents(
  ctx: AppContext,
  orgId: string,
  items: unknown[],
  now: number,
): Promise<BatchResult> {
  const valid: NewEvent[] = [];
  const warnings: string[][] = [];
  const rejected: BatchResult['rejected'] = [];
  items.forEach((item, index) => {
    const result = validateIncoming(item, now, randomUUID);
    if (result.ok) {
      valid.push(result.event);
      warnings.push(result.warnings);
    } else rejected.push({ index, error: result.error, code: result.code });
  });
  if (valid.length === 0) return { accepted: [], created: 0, rejected };
  await ctx.quota.admitEvents(orgId, valid.length, now);
  const outcomes = await ctx.store.events.insert(orgId, valid, now);
  const maxSeq = outcomes.reduce((max, o) => (o.created && o.seq > max ? o.seq : max), 0);
  if (maxSeq > 0) ctx.bus.publish(orgId, maxSeq);
  return {
    accepted: outcomes.map((o, i) => withWarnings(o.event, warnings[i] ?? [])),
    created: outcomes.filter((o) => o.created).length,
    rejected,
  };
}

/** The answer to a sent event: the stored event, with `warnings` only when there are some. */
export function withWarnings(event: StoredEvent, warnings: string[]): AcceptedEvent {
  return warnings.length > 0 ? { ...event, warnings } : event;
}
