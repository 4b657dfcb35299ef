/**
 * Datadog: a change event per forwarded event (Events API v2, `category: change`, POST
 * https://event-management-intake.<site>/api/v2/events with DD-API-KEY), the changed resource
 * being the event's source.
 */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField, urlField } from './config-fields.js';
import { type Notification, plainText } from './notification.js';
import { joinUrl, sendHttp } from './send-http.js';

export function datadogEvent(n: Notification, idempotencyKey: string) {
  const e = n.event;
  const tags = ['opstrails', `opstrails_kind:${n.kind}`];
  if (e)
    tags.push(
      `source:${e.source}`,
      `event_type:${e.type}`,
      ...(e.subject ? [`env:${e.subject}`] : []),
      ...(e.version ? [`version:${e.version}`] : []),
    );
  return {
    data: {
      type: 'event',
      attributes: {
        category: 'change',
        title: n.title.slice(0, 500),
        message: plainText(n).slice(0, 4_000),
        timestamp: e?.time ?? n.timestamp,
        aggregation_key: idempotencyKey.slice(0, 100),
        tags: tags.map((t) => t.slice(0, 200)),
        attributes: {
          changed_resource: { name: (e?.source ?? 'opstrails').slice(0, 128), type: 'configuration' },
          author: { name: 'OpsTrails', type: 'system' },
          ...(e?.version ? { new_value: { version: e.version } } : {}),
        },
      },
    },
  };
}

export const datadog: ChannelType = {
  type: 'datadog',
  label: 'Datadog events',
  forwardingOnly: true,
  config: z.strictObject({
    site: z
      .string()
      .trim()
      .regex(/^[a-z0-9.-]+\.(com|eu)$/, {
        message: 'must be your Datadog site, e.g. datadoghq.com, datadoghq.eu, us5.datadoghq.com',
      }),
    apiKey: secretField('a Datadog API key'),
    apiBaseUrl: urlField('the Events intake (default https://event-management-intake.<site>)').optional(),
  }),
  secretFields: ['apiKey'],
  send(target, n, ctx) {
    const base =
      typeof target.config.apiBaseUrl === 'string'
        ? target.config.apiBaseUrl
        : `https://event-management-intake.${String(target.config.site)}`;
    return sendHttp(ctx.http, {
      url: joinUrl(base, '/api/v2/events'),
      headers: { 'dd-api-key': String(target.config.apiKey) },
      body: datadogEvent(n, ctx.idempotencyKey),
    });
  },
};
