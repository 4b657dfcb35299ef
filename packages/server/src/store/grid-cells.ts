/**
 * The cells of the environment grid as the grid is built from them (domain/grid.ts): one function
 * for every reader (GET /api/v1/grid for the console, the MCP tool get_environment_grid), so they
 * cannot answer differently. The rows come from `grid_cells` (migration 024) through
 * `EventRepository.gridCells`.
 */
import type { GridCellInput } from '../domain/grid.js';
import { type EventRepository, toStoredEvent } from './events.js';

/** The cells with an event since `since` (default: ever), ordered by source and subject. */
export async function gridCellInputs(
  events: EventRepository,
  orgId: string,
  since?: number,
): Promise<GridCellInput[]> {
  const { latest, versioned } = await events.gridCells(orgId, since);
  const key = (source: string, subject: string | null) => `${source}\u0000${subject}`;
  const versionOf = new Map(versioned.map((row) => [key(row.source, row.subject), toStoredEvent(row)]));
  return latest.map((row) => {
    const e = toStoredEvent(row);
    const v = versionOf.get(key(e.source, e.subject));
    return {
      source: e.source,
      subject: e.subject as string,
      type: e.type,
      time: e.time,
      severity: e.severity,
      version: e.version,
      eventId: e.id,
      latestVersion: v?.version ?? null,
      latestVersionTime: v?.time ?? null,
    };
  });
}
