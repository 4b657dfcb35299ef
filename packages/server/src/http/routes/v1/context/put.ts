/**
 * PUT /api/v1/context: replaces the business context (READ_WRITE), up to
 * LIMITS.businessContextMax characters; the unedited template is refused.
 */
import { LIMITS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { templateProblem } from '../../../../domain/context-template.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

/** The body (the OpenAPI document shows it; its one field is the one readContext accepts). */
export const ContextBody = z.object({
  context: z.string().max(LIMITS.businessContextMax).describe('the business context, plain text or Markdown'),
});

function readContext(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('request body', 'must be a JSON object: {"context": "<text>"}');
  const unknown = Object.keys(body).filter((k) => !Object.hasOwn(ContextBody.shape, k));
  if (unknown.length > 0)
    throw badRequest(unknown[0] as string, 'is not a field here; send only {"context": "<text>"}');
  const { context } = body as { context?: unknown };
  if (context === undefined) throw badRequest('context', 'Required: send {"context": "<text>"}');
  if (typeof context !== 'string') throw badRequest('context', 'must be a string');
  if (context.length > LIMITS.businessContextMax)
    throw badRequest(
      'context',
      `is ${context.length} characters; at most ${LIMITS.businessContextMax} are allowed, shorten it`,
    );
  const problem = templateProblem(context);
  if (problem) throw badRequest('context', problem);
  return context;
}

export function registerPutContext(app: FastifyInstance, ctx: AppContext): void {
  app.put('/api/v1/context', { preHandler: requireScope(ctx.keys, 'READ_WRITE') }, async (request) => {
    const context = readContext(request.body);
    const updatedAt = await ctx.store.organizations.setContext(request.grant?.orgId as string, context);
    request.audit = { action: 'context.changed', details: { characters: context.length } };
    return ok({ context, updatedAt, isTemplate: false });
  });
}
