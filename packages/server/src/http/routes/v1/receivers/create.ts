/**
 * POST /api/v1/receivers `{kind, name, subject?, source?, secret?}`: a webhook address for another
 * tool. Configuration access. 201 with the `url` to paste into the tool and the `secret`, shown
 * this once (made here unless the tool makes its own).
 */
import type { FastifyInstance } from 'fastify';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, onlyFields, readKind, readSecret, readSource, readSubject, readText } from './input.js';

export function registerCreateReceiver(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/receivers',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const body = bodyObject(request.body);
      onlyFields(body, ['kind', 'name', 'subject', 'source', 'secret']);
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
