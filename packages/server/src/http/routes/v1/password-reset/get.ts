/** GET /api/v1/password-reset: whether signed-out users can ask for a reset link by mail here (the sign-in page asks). */
import type { FastifyInstance } from 'fastify';
import type { Mailer } from '../../../../channels/mailer.js';
import { ok } from '../../../envelope.js';

export function registerGetReset(app: FastifyInstance, mailer: Mailer): void {
  app.get('/api/v1/password-reset', async () => ok({ mail: mailer.configured }));
}
