/**
 * GET /api/v1/grid: the source x subject grid for the console: per cell the latest event (and
 * the latest version seen there), subjects ordered along their environment ladders, and the
 * sources whose environments drifted apart (domain/grid.ts).
 */
import type { FastifyInstance } from 'fastify';
import { buildGrid, type GridCellInput } from '../../../../domain/grid.js';
import { type EventRow, toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

const cellKey = (row: EventRow) => `${row.source}\u0000${row.subject}`;

export function registerGetGrid(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/grid', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const { latest, versioned } = await ctx.store.events.gridCells(request.grant?.orgId as string);
    const versionOf = new Map(versioned.map((row) => [cellKey(row), row]));
    const cells: GridCellInput[] = latest.map((row) => {
      const event = toStoredEvent(row);
      const withVersion = versionOf.get(cellKey(row));
      return {
        source: event.source,
        subject: event.subject as string,
        type: event.type,
        time: event.time,
        severity: event.severity,
        version: event.version,
        eventId: event.id,
        latestVersion: withVersion?.version ?? null,
        latestVersionTime: withVersion ? toStoredEvent(withVersion).time : null,
      };
    });
    return ok(buildGrid(cells));
  });
}
