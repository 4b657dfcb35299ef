/**
 * DELETE /api/v1/organizations/:id with `{"confirm": "<the organization's name>"}`: an OWNER
 * deletes an organization and everything in it: events, keys, settings, memberships, invites,
 * derived data (store/account-deletion.ts). Typing the name guards against a slip. The session
 * moves to another organization of the user when there is one; otherwise it ends. The default
 * organization may go too: the next server start makes an empty one again, and
 * `opstrails orgs create <slug> --owner <email>` sets up a new one from the command line.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { clearedSessionCookie, isHttps } from '../../../../auth/session-cookie.js';
import { deleteOrganization } from '../../../../store/account-deletion.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { recordAudit } from '../../../plugins/audit.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { startSession } from '../session/start.js';

export const DeleteOrganizationBody = z.object({ confirm: z.string().max(200, { message: 'is too long' }) });

export function registerDeleteOrganization(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/organizations/:id',
    { preHandler: requireRole('MEMBER') },
    async (request, reply) => {
      const account = request.account as NonNullable<typeof request.account>;
      const { id } = request.params;
      const role = await ctx.store.memberships.role(account.userId, id);
      const org = role ? await ctx.store.organizations.byId(id) : null;
      if (!role || !org) throw new ApiError('NOT_FOUND', `id: you belong to no organization "${id}"`);
      if (role !== 'OWNER')
        throw new ApiError(
          'FORBIDDEN',
          `deleting an organization needs the OWNER role; you are ${role} in it`,
        );
      const { confirm } = parseBody(DeleteOrganizationBody, request.body);
      if (confirm.trim() !== org.name.trim())
        throw new ApiError(
          'VALIDATION_ERROR',
          `confirm: type the organization's name exactly ("${org.name}") to delete it and all its events`,
        );
      // Recorded first: the entry that survives the deletion says who deleted what, when.
      await recordAudit(ctx, request, {
        action: 'organization.deleted',
        orgId: id,
        target: { type: 'organization', id, label: `${org.name} (${org.slug})` },
      });
      await deleteOrganization(ctx.store, id);
      ctx.keys.forget(); // its keys stop working at once, not when the verifier's cache expires
      let session = null;
      if (id === account.orgId) {
        const next = (await ctx.store.memberships.ofUser(account.userId))[0];
        if (next) session = await startSession(ctx, request, reply, account.userId, next.organization.id);
        else reply.header('set-cookie', clearedSessionCookie(isHttps(request, ctx.config)));
      }
      return ok({ id, deleted: true, session });
    },
  );
}
