/**
 * Console session authentication. A request with the session cookie (and no Authorization
 * header) is resolved to its session, user role and organization. Every state-changing request
 * made with a session must carry the session's CSRF token in X-CSRF-Token; requests that
 * create a session (setup, login, accepting an invite) must be JSON from our own origin.
 */
import { ApiError, type Role } from '@opstrails/core';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { hasRole, scopeForRole } from '../../auth/roles.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from '../../auth/session-cookie.js';
import type { SessionRecord } from '../../store/sessions.js';
import type { AppContext } from '../context.js';
import { headersOnly } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session behind this request, when it was made with one. */
    account: SessionRecord | null;
  }
  interface FastifyInstance {
    resolveSession(request: FastifyRequest): Promise<SessionRecord | null>;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerSessions(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('account', null);
  app.decorate('resolveSession', async (request: FastifyRequest) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    return token ? ctx.store.sessions.find(token) : null;
  });
}

/** Refuses a state-changing session request without the session's CSRF token. */
export function checkCsrf(request: FastifyRequest, session: SessionRecord): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers[CSRF_HEADER] !== session.csrfToken) {
    throw new ApiError(
      'FORBIDDEN',
      'X-CSRF-Token: missing or wrong; reload the console (the token comes with GET /api/v1/session)',
    );
  }
}

/**
 * For requests that have no session yet: a cross-site page cannot send JSON without a CORS
 * preflight (which this server never grants), and a browser names the page's origin, which must
 * be this server as the browser sees it: its Host (or X-Forwarded-Host) or the public URL.
 */
export function checkSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = '';
    }
    const allowed = [request.headers.host, request.headers['x-forwarded-host'], new URL(publicUrl).host];
    if (!allowed.includes(originHost)) {
      throw new ApiError(
        'FORBIDDEN',
        `Origin: ${origin} is not this server; open the console at ${publicUrl} (or set OPSTRAILS_PUBLIC_URL to the address you use)`,
      );
    }
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new ApiError('VALIDATION_ERROR', 'Content-Type: send the body as application/json', 415);
}

/** Admits a console session whose role is at least `role`; sets `request.account` and `request.grant`. */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  return headersOnly(async (request) => {
    const session = await request.server.resolveSession(request);
    if (!session) {
      throw new ApiError(
        'UNAUTHORIZED',
        request.headers.authorization
          ? 'Authorization: API keys cannot do this; it needs a signed-in console user (sign in to the console, or run `opstrails keys` on the server)'
          : 'session: not signed in or expired; sign in to the console again',
      );
    }
    checkCsrf(request, session);
    if (!hasRole(session.role, role)) {
      throw new ApiError(
        'FORBIDDEN',
        `this action needs the ${role} role; you are ${session.role} in this organization`,
      );
    }
    request.account = session;
    request.grant = { keyId: session.id, orgId: session.orgId, scope: scopeForRole(session.role) };
  });
}
