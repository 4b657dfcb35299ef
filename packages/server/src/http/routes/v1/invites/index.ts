/** The invites resource: links that let one person join an organization with a role. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerAcceptInvite } from './accept.js';
import { registerCreateInvite } from './create.js';
import { registerDeleteInvite } from './delete.js';
import { registerListInvites } from './list.js';
import { registerPeekInvite } from './peek.js';

export function registerInviteRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerListInvites(app, ctx);
  registerCreateInvite(app, ctx);
  registerPeekInvite(app, ctx);
  registerAcceptInvite(app, ctx);
  registerDeleteInvite(app, ctx);
}
