/**
 * Who may change configuration (extended API, "Who may call what"): an OWNER or ADMIN console
 * session (with its CSRF token) or an API key of scope ADMIN. READ_WRITE keys, which CI pipelines
 * hold, may send events but never change configuration: a pipeline must not be able to switch
 * off the rule it is about to break. Every admitted write is recorded in the audit log.
 */
import { ApiError } from '@opstrails/core';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { KeyVerifier } from '../../auth/key-verifier.js';
import { hasRole } from '../../auth/roles.js';
import { auditSettingsChange } from './audit.js';
import { authenticate, headersOnly } from './auth.js';
import { checkCsrf } from './session.js';

/** preHandler admitting configuration writers (run before the body is read, like requireScope); sets `request.grant`. */
export function requireConfigurationAccess(verifier: KeyVerifier): preHandlerAsyncHookHandler {
  return headersOnly(async (request) => {
    const session = request.headers.authorization ? null : await request.server.resolveSession(request);
    if (session) {
      checkCsrf(request, session);
      if (!hasRole(session.role, 'ADMIN')) {
        throw new ApiError(
          'FORBIDDEN',
          `changing configuration needs the OWNER or ADMIN role; you are ${session.role} in this organization`,
        );
      }
      request.account = session;
      request.grant = { keyId: session.id, orgId: session.orgId, scope: 'ADMIN' };
      auditSettingsChange(request);
      return;
    }
    const grant = await authenticate(request, verifier);
    if (grant.scope !== 'ADMIN') {
      throw new ApiError(
        'FORBIDDEN',
        `this API key is ${grant.scope}; changing configuration needs a key of scope ADMIN (opstrails keys create --scope ADMIN, or Settings → API keys in the console)`,
      );
    }
    request.grant = grant;
    auditSettingsChange(request);
  });
}
