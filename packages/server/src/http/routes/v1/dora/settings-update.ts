/**
 * PATCH /api/v1/dora/settings: changes the failure window (`{"failureWindow": "4h"}`, 5m to 7d).
 * Configuration: an OWNER/ADMIN session or an ADMIN key; READ_WRITE keys are refused.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseWindow } from '../../../../domain/dora/window.js';
import { doraService } from '../../../../dora/service.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { settingsAnswer } from './settings-answer.js';

const EXAMPLE = 'send {"failureWindow": "4h"}';

/** The body (the OpenAPI document shows it; its one field is the one readWindow accepts). */
export const DoraSettingsBody = z.object({
  failureWindow: z
    .string()
    .describe('how long after a deployment a failure counts against it: 5m to 7d, e.g. "4h"'),
});

function readWindow(body: unknown): number {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${EXAMPLE}`);
  const unknown = Object.keys(body).find((k) => !Object.hasOwn(DoraSettingsBody.shape, k));
  if (unknown) throw badRequest(unknown, `is not a field here; ${EXAMPLE}`);
  const { failureWindow } = body as { failureWindow?: unknown };
  if (failureWindow === undefined) throw badRequest('failureWindow', `is required; ${EXAMPLE}`);
  if (typeof failureWindow !== 'string')
    throw badRequest(
      'failureWindow',
      `must be a string such as "4h" or "90m", not ${JSON.stringify(failureWindow)}`,
    );
  const parsed = parseWindow(failureWindow);
  if (!parsed.ok) throw badRequest('failureWindow', parsed.message);
  return parsed.ms;
}

export function registerUpdateDoraSettings(app: FastifyInstance, ctx: AppContext): void {
  app.patch(
    '/api/v1/dora/settings',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const ms = readWindow(request.body);
      const settings = await doraService(ctx.store).settings.setFailureWindow(
        request.grant?.orgId as string,
        ms,
      );
      return ok(settingsAnswer(settings));
    },
  );
}
