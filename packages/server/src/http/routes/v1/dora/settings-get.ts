/** GET /api/v1/dora/settings: the organization's DORA settings (the failure window). Any key or session. */
import type { FastifyInstance } from 'fastify';
import { doraService } from '../../../../dora/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { settingsAnswer } from './settings-answer.js';

export function registerGetDoraSettings(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/dora/settings', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    return ok(settingsAnswer(await doraService(ctx.store).settings.get(request.grant?.orgId as string)));
  });
}
