/**
 * PATCH /api/v1/checks/:id: any of the fields POST takes; `paused: true` stops the runs,
 * `paused: false` resumes them at once. Configuration access.
 */
import type { FastifyInstance } from 'fastify';
import { checkServices } from '../../../../checks/services.js';
import { checkView } from '../../../../checks/view.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { parseBody } from '../../../validate.js';
import { bodyObject, CheckUpdateSchema, notFound, settingsFrom } from './input.js';

export function registerUpdateCheck(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/checks/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const input = parseBody(CheckUpdateSchema, bodyObject(request.body));
      const { repo } = checkServices(ctx.store, ctx.config);
      const row = await repo.get(orgId, request.params.id);
      if (!row) throw notFound(request.params.id);
      const now = Date.now();
      const updated = await repo.update(orgId, row.id, settingsFrom(input, row), now);
      if (!updated) throw notFound(request.params.id);
      return ok(await checkView(repo, updated, now));
    },
  );
}
