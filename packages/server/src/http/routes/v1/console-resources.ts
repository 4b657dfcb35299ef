/** The resources the web console adds to the API: setup, sessions, keys, members, invites, usage, grid, feed facets, promotion paths, organizations, password resets, account deletion, the audit log. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { registerDeleteAccount } from './account/delete.js';
import { registerListAudit } from './audit/list.js';
import { registerEventFacets } from './events/facets.js';
import { registerGetGrid } from './grid/get.js';
import { registerInviteRoutes } from './invites/index.js';
import { registerKeyRoutes } from './keys/index.js';
import { registerMemberRoutes } from './members/index.js';
import { registerMemberResetLink } from './members/reset-link.js';
import { registerCreateOrganization } from './organizations/create.js';
import { registerDeleteOrganization } from './organizations/delete.js';
import { registerPasswordResetRoutes } from './password-reset/index.js';
import { registerGetPromotion } from './promotion/get.js';
import { registerSessionRoutes } from './session/index.js';
import { registerSetupRoutes } from './setup/index.js';
import { registerGetUsage } from './usage/get.js';

export function registerConsoleResources(app: FastifyInstance, ctx: AppContext): void {
  registerSetupRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerInviteRoutes(app, ctx);
  registerGetUsage(app, ctx);
  registerGetGrid(app, ctx);
  registerEventFacets(app, ctx);
  registerGetPromotion(app, ctx);
  registerCreateOrganization(app, ctx);
  // Accounts that recover (issue 16): reset links, deletion, the audit log.
  registerMemberResetLink(app, ctx);
  registerPasswordResetRoutes(app, ctx);
  registerDeleteOrganization(app, ctx);
  registerDeleteAccount(app, ctx);
  registerListAudit(app, ctx);
}
