/** Looks up one event by id for the tools that take an `eventId`, with the mistakes spelled out. */
import type { StoredEvent } from '@opstrails/core';
import { toStoredEvent } from '../../store/events.js';
import { type ToolEnv, ToolInputError } from '../tool.js';

export async function findEvent(env: ToolEnv, id: string, source?: string): Promise<StoredEvent> {
  const rows = await env.store.events.findById(env.orgId, id, source);
  const [first] = rows;
  if (!first) {
    throw new ToolInputError(
      `event "${id}"${source ? ` from source "${source}"` : ''} not found in this organization; find ids with query_events`,
    );
  }
  if (rows.length > 1) {
    const sources = rows.map((r) => JSON.stringify(r.source)).join(', ');
    throw new ToolInputError(
      `id "${id}" is used by ${rows.length} sources (${sources}); call again with source set to one of them`,
    );
  }
  return toStoredEvent(first);
}
