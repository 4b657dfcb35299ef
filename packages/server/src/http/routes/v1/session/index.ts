/** The console session resource: sign in (create), who am I (get), switch organization (update), sign out (delete). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateSession } from './create.js';
import { registerDeleteSession } from './delete.js';
import { registerGetSession } from './get.js';
import { registerUpdateSession } from './update.js';

export function registerSessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetSession(app, ctx);
  registerCreateSession(app, ctx);
  registerUpdateSession(app, ctx);
  registerDeleteSession(app, ctx);
}
