/**
 * GET /api/v1/context: the organization's business context. An organization that has written
 * none gets the template (the getting-started example), with `isTemplate: true` and
 * `updatedAt: null`, so the editor and the CLI show what to write.
 */
import type { FastifyInstance } from 'fastify';
import { contextOrTemplate } from '../../../../domain/context-template.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetContext(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/context', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const stored = await ctx.store.organizations.getContext(request.grant?.orgId as string);
    const { context, isTemplate } = contextOrTemplate(stored.context);
    return ok({ context, updatedAt: isTemplate ? null : stored.updatedAt, isTemplate });
  });
}
