/**
 * POST /api/v1/oauth/requests/:id/approve {organizationId}: the user approves. The grant gets a
 * READ_ONLY key `MCP — <client>` in that organization (counted against the plan's key limit, and
 * reused when the same client is approved again while its key lives); the answer says where the
 * browser goes next: the client's redirect URI with the code, `state` and `iss`.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CODE_TTL_MS, keyNameFor } from '../../../auth/oauth/policy.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import type { AppContext } from '../../context.js';
import { ok } from '../../envelope.js';
import { requireRole } from '../../plugins/session.js';
import { parseBody } from '../../validate.js';
import { REQUEST_GONE } from './consent-get.js';
import { authorizationResponse } from './redirect.js';

export const ApproveBody = z.object({
  organizationId: z.string().min(1, { message: 'is required' }).max(100),
});

export function registerConsentApprove(app: FastifyInstance, ctx: AppContext, oauth: OAuthServices): void {
  app.post<{ Params: { id: string } }>(
    '/api/v1/oauth/requests/:id/approve',
    { preHandler: requireRole('MEMBER') },
    async (request) => {
      const { organizationId } = parseBody(ApproveBody, request.body);
      const account = request.account as NonNullable<typeof request.account>;
      const role = await ctx.store.memberships.role(account.userId, organizationId);
      const org = role ? await ctx.store.organizations.byId(organizationId) : null;
      if (!org) {
        throw new ApiError(
          'FORBIDDEN',
          'organizationId: you are not a member of that organization; pick one of yours',
        );
      }
      const pending = await ctx.store.oauth.request(request.params.id);
      const client = pending ? await ctx.store.oauth.client(pending.clientId) : null;
      if (!client) throw new ApiError('NOT_FOUND', REQUEST_GONE);
      const maxKeys = org.limits.apiKeys;
      const approval = await ctx.store.oauth.approve({
        requestId: request.params.id,
        userId: account.userId,
        orgId: org.id,
        keyName: keyNameFor(client.name),
        maxKeys,
        codeTtlMs: CODE_TTL_MS,
      });
      if (approval.status === 'gone') throw new ApiError('NOT_FOUND', REQUEST_GONE);
      if (approval.status === 'key-limit') {
        throw new ApiError(
          'FORBIDDEN',
          `API keys: the ${org.plan} plan of ${org.name} allows ${maxKeys} and connecting needs one more; revoke a key in Settings → API keys, then approve again`,
        );
      }
      const redirectTo = authorizationResponse(
        approval.request.redirectUri,
        oauth.urls.issuer,
        approval.request.state,
        {
          code: approval.code,
        },
      );
      return ok({ redirectTo });
    },
  );
}
