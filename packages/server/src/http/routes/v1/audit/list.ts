/**
 * GET /api/v1/audit?limit=&cursor=&action=: the organization's audit log, newest first
 * (`limit` up to 1,000, default 100; `action` narrows to one kind, e.g. `event.deleted`).
 * Configuration access: OWNER/ADMIN sessions and ADMIN keys; a pipeline's key cannot read who
 * changed what.
 */
import type { FastifyInstance } from 'fastify';
import { auditLog } from '../../../../accounts/audit.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { readParams } from '../../../query-params.js';

export function registerListAudit(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/audit', { preHandler: requireConfigurationAccess(ctx.keys) }, async (request) => {
    const q = readParams(request.query, ['limit', 'cursor', 'action']);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit', `must be a whole number from 1 to 1000, not ${JSON.stringify(q.limit)}`);
    const page = await auditLog(ctx.store).list(request.grant?.orgId as string, {
      limit,
      cursor: q.cursor,
      action: q.action,
    });
    return ok(page);
  });
}
