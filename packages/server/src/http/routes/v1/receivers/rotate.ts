/**
 * POST /api/v1/receivers/:id/rotate `{secret?}`: a new secret, shown this once; the old one stops
 * verifying at once. Configuration access.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, notFound, onlyFields, readSecret } from './input.js';

/** The body (the OpenAPI document shows it; its one field is the one the handler accepts). */
export const RotateReceiverBody = z.object({
  secret: z.string().optional().describe('the new secret; left out, one is generated'),
});

export function registerRotateReceiver(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/v1/receivers/:id/rotate',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const body = bodyObject(request.body);
      onlyFields(body, Object.keys(RotateReceiverBody.shape));
      const rotated = await receiverService(ctx).rotate(
        request.grant?.orgId as string,
        request.params.id,
        readSecret(body.secret),
      );
      if (!rotated) throw notFound(request.params.id);
      return ok(rotated);
    },
  );
}
