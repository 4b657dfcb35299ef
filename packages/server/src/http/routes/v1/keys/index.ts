/** The API keys resource, managed from the console. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateKey } from './create.js';
import { registerDeleteKey } from './delete.js';
import { registerListKeys } from './list.js';

export function registerKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerListKeys(app, ctx);
  registerCreateKey(app, ctx);
  registerDeleteKey(app, ctx);
}
