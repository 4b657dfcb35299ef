/**
 * POST /api/v1/checks `{name, url, method?, expectedStatus?, expectedBody?, intervalSeconds,
 * timeoutSeconds?, subject, source, severity?, paused?}`: an HTTP health check, first run at once.
 * Configuration access. 201 with the check.
 */
import type { FastifyInstance } from 'fastify';
import { checkServices } from '../../../../checks/services.js';
import { checkView } from '../../../../checks/view.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { parseBody } from '../../../validate.js';
import { bodyObject, CheckCreateSchema, settingsFrom } from './input.js';

export function registerCreateCheck(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/checks', { preHandler: requireConfigurationAccess(ctx.keys) }, async (request, reply) => {
    const input = parseBody(CheckCreateSchema, bodyObject(request.body));
    const { repo } = checkServices(ctx.store, ctx.config);
    const now = Date.now();
    const row = await repo.create(request.grant?.orgId as string, settingsFrom(input, null), now);
    return reply.code(201).send(ok(await checkView(repo, row, now)));
  });
}
