/**
 * DELETE /api/v1/organizations/:id with `{"confirm": "<the organization's name>"}`: an OWNER
 * deletes an organization and everything in it: events, keys, settings, memberships, invites,
 * derived data (store/account-deletion.ts). Typing the name guards against a slip. The session
 * moves to another organization of the user. Deleting one's only organization leaves the account
 * OWNER of a new, empty one (the default organization again when that was the one deleted, so
 * keys made by `opstrails keys create` without --org land there), so it can still sign in; to
 * leave altogether, a user deletes the account.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deleteOrganization } from '../../../../store/account-deletion.js';
import { DEFAULT_ORG_SLUG } from '../../../../store/organizations.js';
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
      let next = (await ctx.store.memberships.ofUser(account.userId))[0]?.organization.id;
      const fresh = next === undefined;
      if (fresh) {
        const made =
          org.slug === DEFAULT_ORG_SLUG
            ? await ctx.store.organizations.ensureDefault()
            : await ctx.store.organizations.create(
                `org-${randomBytes(4).toString('hex')}`,
                'My organization',
              );
        await ctx.store.memberships.add(account.userId, made.id, 'OWNER');
        next = made.id;
      }
      const session =
        id === account.orgId || fresh
          ? await startSession(ctx, request, reply, account.userId, next as string)
          : null;
      return ok({ id, deleted: true, session, freshOrganization: fresh });
    },
  );
}
