/**
 * Bearer-key authentication. Routes declare the scope they need with `requireScope`;
 * a missing, unknown or revoked key is 401, a key without the scope is 403.
 * A request without Authorization may instead carry a console session (plugins/session.ts):
 * its scope follows from the user's role, and state-changing requests need the CSRF token.
 * Both checks read headers only, so they run before the body is read (authenticateBeforeBody).
 */
import { ApiError, type Scope } from '@opstrails/core';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preHandlerAsyncHookHandler,
  RouteOptions,
} from 'fastify';
import type { KeyVerifier } from '../../auth/key-verifier.js';
import { scopeForRole } from '../../auth/roles.js';
import { KEY_PREFIX, type KeyGrant } from '../../store/api-keys.js';
import { checkCsrf } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: an API key, or a console session (then `keyId` is the session's id). */
    grant: KeyGrant | null;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export async function authenticate(request: FastifyRequest, verifier: KeyVerifier): Promise<KeyGrant> {
  const header = request.headers.authorization;
  if (!header) {
    throw new ApiError(
      'UNAUTHORIZED',
      'Authorization: missing; send "Authorization: Bearer ot_…" with an API key',
    );
  }
  const key = BEARER.exec(header)?.[1];
  if (!key)
    throw new ApiError('UNAUTHORIZED', 'Authorization: must be "Bearer <key>" with a key starting with ot_');
  // A token from another service (or a session id) pasted by mistake should not read as a revoked key.
  if (!key.startsWith(KEY_PREFIX))
    throw new ApiError('UNAUTHORIZED', 'Authorization: this is not an OpsTrails key: keys start with ot_');
  const grant = await verifier.verify(key);
  if (!grant)
    throw new ApiError('UNAUTHORIZED', 'Authorization: the API key is unknown or revoked; create a new one');
  return grant;
}

const HEADERS_ONLY = Symbol('authenticates from headers only');

/** Marks a hook that authenticates from the headers alone, so it may run before the body is read. */
export function headersOnly<T extends object>(hook: T): T {
  return Object.assign(hook, { [HEADERS_ONLY]: true });
}

const isHeadersOnly = (hook: unknown) =>
  typeof hook === 'function' && (hook as { [HEADERS_ONLY]?: boolean })[HEADERS_ONLY] === true;

/** The body limit of sign-in routes anyone may call: their bodies are small JSON objects. */
export const PUBLIC_BODY_LIMIT = 64 * 1024;

/**
 * Routes name their authentication as a preHandler, like any check; this moves it to onRequest,
 * so a request without valid credentials is refused before its body is read or parsed (an
 * unauthenticated 10 MB upload costs nothing). Registered before the routes.
 */
export function authenticateBeforeBody(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const pre = [route.preHandler ?? []].flat();
    const auth = pre.filter(isHeadersOnly);
    if (auth.length === 0) return;
    route.preHandler = pre.filter((hook) => !isHeadersOnly(hook));
    route.onRequest = [
      ...[route.onRequest ?? []].flat(),
      ...(auth as unknown as onRequestAsyncHookHandler[]),
    ];
  });
}

/** preHandler that admits keys with `scope` (READ_WRITE and ADMIN also satisfy READ_ONLY, ADMIN satisfies READ_WRITE). */
export function requireScope(verifier: KeyVerifier, scope: Scope): preHandlerAsyncHookHandler {
  return headersOnly(async (request) => {
    const session = request.headers.authorization ? null : await request.server.resolveSession(request);
    if (session) {
      checkCsrf(request, session);
      request.account = session;
    }
    const grant = session
      ? { keyId: session.id, orgId: session.orgId, scope: scopeForRole(session.role) }
      : await authenticate(request, verifier);
    if (scope === 'READ_WRITE' && grant.scope === 'READ_ONLY') {
      throw new ApiError(
        'FORBIDDEN',
        session
          ? `this action needs the ADMIN role; you are ${session.role} in this organization`
          : 'this API key is READ_ONLY; sending events needs a READ_WRITE key',
      );
    }
    request.grant = grant;
  });
}
