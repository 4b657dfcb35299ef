/** GET /healthz: liveness and a store round trip, for load balancers and `opstrails serve` users. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { ok } from '../envelope.js';

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
      return ok({ status: 'ok', store: ctx.store.engine });
    } catch {
      return reply.code(503).send({ success: false, error: 'store: unreachable', code: 'INTERNAL_ERROR' });
    }
  });
}
