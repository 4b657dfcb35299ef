/**
 * GET /api/v1/oauth/requests/:id: what the console's consent page shows for a pending
 * authorization: the client's name, where its metadata document lives (the host vouching for
 * that name), where the answer goes, what it may read, and the signed-in user's organizations.
 * Any signed-in member may connect a client: it reads no more than the member already can.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { keyNameFor } from '../../../auth/oauth/policy.js';
import { isLoopbackHost } from '../../../auth/oauth/redirect-uris.js';
import type { AppContext } from '../../context.js';
import { ok } from '../../envelope.js';
import { requireRole } from '../../plugins/session.js';

export const REQUEST_GONE =
  'request: this sign-in request expired or was already answered; start connecting again from your assistant';

/** What a connected client may do, in the words the consent page shows. */
export const ACCESS_GRANTED = [
  'Read the events of the organization you pick (deployments, incidents, changes), with their data',
  'Read its business context, the environment grid, event types, sources and subjects',
  'Nothing else: it cannot send, change or delete anything, and cannot see other organizations',
];

export function registerConsentGet(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/oauth/requests/:id',
    { preHandler: requireRole('MEMBER') },
    async (request) => {
      const pending = await ctx.store.oauth.request(request.params.id);
      const client = pending ? await ctx.store.oauth.client(pending.clientId) : null;
      if (!pending || !client) throw new ApiError('NOT_FOUND', REQUEST_GONE);
      const account = request.account as NonNullable<typeof request.account>;
      const memberships = await ctx.store.memberships.ofUser(account.userId);
      const redirect = new URL(pending.redirectUri);
      return ok({
        client: {
          name: client.name,
          kind: client.kind,
          metadataDocument: client.kind === 'metadata-document' ? client.id : null,
          documentHost: client.kind === 'metadata-document' ? new URL(client.id).host : null,
          clientUri: client.clientUri,
        },
        redirectUri: pending.redirectUri,
        redirectHost: redirect.host,
        redirectIsLocal: isLoopbackHost(redirect.hostname),
        resource: pending.resource,
        access: ACCESS_GRANTED,
        keyName: keyNameFor(client.name),
        organizations: memberships.map((m) => ({
          id: m.organization.id,
          name: m.organization.name,
          slug: m.organization.slug,
          role: m.role,
        })),
        currentOrganizationId: account.orgId,
        expiresAt: new Date(pending.expiresAt).toISOString(),
      });
    },
  );
}
