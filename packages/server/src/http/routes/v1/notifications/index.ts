/** Notification settings (extended API section 5): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerGetNotificationSettings } from './settings-get.js';
import { registerPutNotificationSettings } from './settings-put.js';

export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetNotificationSettings(app, ctx);
  registerPutNotificationSettings(app, ctx);
}
