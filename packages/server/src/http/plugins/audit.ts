/**
 * Records admin actions in the audit log. A route says what it did by setting `request.audit`
 * (configuration writes get a generic `settings.changed` entry from requireConfigurationAccess);
 * the entry is written in `onSend`, only for a success, before the answer leaves, so whoever
 * reads the log after the answer finds it. The actor comes from the request: the signed-in user
 * or the API key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditLog } from '../../accounts/audit.js';
import type { AuditActor, AuditTarget } from '../../store/audit-log.js';
import type { AppContext } from '../context.js';

export interface PendingAudit {
  action: string;
  target?: AuditTarget;
  details?: Record<string, unknown>;
  /** When not the request's organization (e.g. an invite accepted before any session). */
  orgId?: string;
  /** When not the request's session or key (e.g. the person who just accepted an invite). */
  actor?: AuditActor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The audit entry this request makes when it succeeds. */
    audit: PendingAudit | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who made the request, for the log: the session's user (by email) or the key (by name). */
export async function actorOf(ctx: AppContext, request: FastifyRequest): Promise<AuditActor | null> {
  if (request.account) {
    const user = await ctx.store.users.byId(request.account.userId);
    return { type: 'user', id: request.account.userId, label: user?.email ?? null };
  }
  const grant = request.grant;
  if (!grant) return null;
  const key = (await ctx.store.apiKeys.list(grant.orgId, true)).find((k) => k.id === grant.keyId);
  return { type: 'key', id: grant.keyId, label: key?.name ?? null };
}

/** Writes an entry now (for routes that record several, or after the request's session is gone). */
export async function recordAudit(ctx: AppContext, request: FastifyRequest, pending: PendingAudit) {
  const orgId = pending.orgId ?? request.grant?.orgId ?? request.account?.orgId;
  const actor = pending.actor ?? (await actorOf(ctx, request));
  if (!orgId || !actor) return;
  await auditLog(ctx.store).record({
    orgId,
    actor,
    action: pending.action,
    target: pending.target,
    details: pending.details,
    address: request.ip,
  });
}

/** Marks an admitted configuration write for the generic entry (a test send changes nothing). */
export function auditSettingsChange(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || request.audit) return;
  const route = request.routeOptions.url ?? request.url;
  if (route.endsWith('/test')) return;
  request.audit = {
    action: 'settings.changed',
    target: { type: 'route', id: `${request.method} ${route}`, label: request.url.split('?')[0] },
  };
}

export function registerAudit(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('audit', null);
  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.audit;
    if (!pending || reply.statusCode >= 400) return payload;
    request.audit = null;
    try {
      await recordAudit(ctx, request, pending);
    } catch (error) {
      // The action itself succeeded; a lost entry is logged rather than turned into a failure.
      request.log.error({ err: error, audit: pending }, 'audit entry not recorded');
    }
    return payload;
  });
}
