/** The members resource: who belongs to the organization, with which role. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerDeleteMember } from './delete.js';
import { registerListMembers } from './list.js';
import { registerUpdateMember } from './update.js';

export function registerMemberRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerListMembers(app, ctx);
  registerUpdateMember(app, ctx);
  registerDeleteMember(app, ctx);
}
