/**
 * POST /api/v1/receivers `{kind, name, subject?, source?, secret?}`: a webhook address for another
 * tool. Configuration access. 201 with the `url` to paste into the tool and the `secret`, shown
 * this once (made here unless the tool makes its own).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RECEIVER_KINDS } from '../../../../receivers/registry.js';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, onlyFields, readKind, readSecret, readSource, readSubject, readText } from './input.js';

/** The body (the OpenAPI document shows it; its fields are the ones the handler accepts). */
export const CreateReceiverBody = z.object({
  kind: z.enum(Object.keys(RECEIVER_KINDS) as [string, ...string[]]),
  name: z.string().min(1).max(100),
  subject: z.string().optional().describe('the subject of the events it makes, e.g. production'),
  source: z.string().optional(),
  secret: z.string().optional().describe('left out, one is generated and shown once'),
});

export function registerCreateReceiver(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/receivers',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const body = bodyObject(request.body);
      onlyFields(body, Object.keys(CreateReceiverBody.shape));
      const input = {
        kind: readKind(body.kind),
        name: readText('name', body.name, 100, true) as string,
        subject: readSubject(body.subject),
        source: readSource(body.source),
        secret: readSecret(body.secret),
      };
      const created = await receiverService(ctx).create(request.grant?.orgId as string, input);
      return reply.code(201).send(ok(created));
    },
  );
}
