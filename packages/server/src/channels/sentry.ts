/**
 * Sentry: a deploy of the release named by the event's `version` per forwarded deployment
 * (POST /api/0/organizations/{organization}/releases/{version}/deploys/, bearer auth token), the
 * event's subject as the environment. Events that are not deployments, or carry no version, are
 * not Sentry deploys: they are settled as skipped, saying why.
 */
import { z } from 'zod';
import { isDeployType } from '../domain/environments.js';
import type { ChannelType } from './channel-type.js';
import { secretField, urlField } from './config-fields.js';
import { joinUrl, sendHttp } from './send-http.js';

export const sentry: ChannelType = {
  type: 'sentry',
  label: 'Sentry deploys',
  forwardingOnly: true,
  config: z.strictObject({
    url: urlField('your Sentry (default https://sentry.io)').optional(),
    authToken: secretField('a Sentry auth token with the project:releases scope'),
    organization: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{1,100}$/i, { message: 'must be the Sentry organization slug, e.g. acme' }),
  }),
  secretFields: ['authToken'],
  async send(target, n, ctx) {
    const base = typeof target.config.url === 'string' ? target.config.url : 'https://sentry.io';
    const org = `/api/0/organizations/${encodeURIComponent(String(target.config.organization))}`;
    const authorization = `Bearer ${String(target.config.authToken)}`;
    // A test send checks the token and the organization without making a deploy.
    if (n.kind === 'channel.test')
      return sendHttp(ctx.http, {
        url: joinUrl(base, `${org}/`),
        method: 'GET',
        body: null,
        headers: { authorization },
      });
    const e = n.event;
    if (!e?.version || !isDeployType(e.type))
      return {
        ok: true,
        answer: 'skipped: Sentry records deploys of a release; this event is not a deployment with a version',
      };
    return sendHttp(ctx.http, {
      url: joinUrl(base, `${org}/releases/${encodeURIComponent(e.version)}/deploys/`),
      headers: { authorization },
      body: {
        environment: (e.subject ?? 'production').slice(0, 64),
        name: `${e.source} ${e.version}`.slice(0, 64),
        url: e.link,
        dateStarted: e.time,
        dateFinished: e.time,
      },
    });
  },
};
