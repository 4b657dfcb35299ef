/** GET /api/v1/setup: whether this install still needs its one-time setup (no user exists yet). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';

export function registerGetSetup(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/setup', async () => ok({ needed: !(await ctx.store.users.setupDone()) }));
}
