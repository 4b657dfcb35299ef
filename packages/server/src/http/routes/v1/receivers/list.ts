/** GET /api/v1/receivers: the organization's receivers with their URLs; secrets never. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerListReceivers(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/receivers', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const service = receiverService(ctx);
    const rows = await service.repo.list(request.grant?.orgId as string);
    return ok({ receivers: rows.map((r) => service.view(r)) });
  });
}
