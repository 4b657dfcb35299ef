/**
 * Password reset: links made by an OWNER/ADMIN (members/reset-link.ts) or the CLI, or mailed on
 * request; peeking at one; using one. The mailer is the channels' SMTP mailer, made once here.
 */
import type { FastifyInstance } from 'fastify';
import { smtpMailer } from '../../../../channels/mailer.js';
import type { AppContext } from '../../../context.js';
import { registerGetReset } from './get.js';
import { registerPeekReset } from './peek.js';
import { registerRequestReset } from './request.js';
import { registerUseReset } from './use.js';

export function registerPasswordResetRoutes(app: FastifyInstance, ctx: AppContext): void {
  const mailer = smtpMailer(ctx.config.channels.smtpUrl, ctx.config.channels.smtpFrom);
  app.addHook('onClose', async () => mailer.close());
  registerGetReset(app, mailer);
  registerRequestReset(app, ctx, mailer);
  registerPeekReset(app, ctx);
  registerUseReset(app, ctx);
}
