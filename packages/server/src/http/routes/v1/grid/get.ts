/**
 * GET /api/v1/grid: the source x subject grid for the console: per cell the latest event (and
 * the latest version seen there), subjects ordered along their environment ladders, and the
 * sources whose environments drifted apart (domain/grid.ts).
 */
import type { FastifyInstance } from 'fastify';
import { buildGrid } from '../../../../domain/grid.js';
import { gridCellInputs } from '../../../../store/grid-cells.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetGrid(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/grid', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const cells = await gridCellInputs(ctx.store.events, request.grant?.orgId as string);
    return ok(buildGrid(cells));
  });
}
