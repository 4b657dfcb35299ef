/** Guardrails (extended API section 4): freeze windows, deployment policies, violations, check. One file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCheck } from './check.js';
import { registerCreateFreeze } from './freezes-create.js';
import { registerDeleteFreeze } from './freezes-delete.js';
import { registerGetFreeze } from './freezes-get.js';
import { registerListFreezes } from './freezes-list.js';
import { registerUpdateFreeze } from './freezes-update.js';
import { registerCreatePolicy } from './policies-create.js';
import { registerDeletePolicy } from './policies-delete.js';
import { registerGetPolicy } from './policies-get.js';
import { registerListPolicies } from './policies-list.js';
import { registerUpdatePolicy } from './policies-update.js';
import { registerListViolations } from './violations-list.js';

export function registerGuardrailRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerListFreezes(app, ctx);
  registerGetFreeze(app, ctx);
  registerCreateFreeze(app, ctx);
  registerUpdateFreeze(app, ctx);
  registerDeleteFreeze(app, ctx);
  registerListPolicies(app, ctx);
  registerGetPolicy(app, ctx);
  registerCreatePolicy(app, ctx);
  registerUpdatePolicy(app, ctx);
  registerDeletePolicy(app, ctx);
  registerListViolations(app, ctx);
  registerCheck(app, ctx);
}
