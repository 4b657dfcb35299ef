/** Grafana: an annotation per forwarded event (POST /api/annotations, a service account token), tagged with the event's type, source and subject. */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField, tagsField, urlField } from './config-fields.js';
import type { Notification } from './notification.js';
import { joinUrl, sendHttp } from './send-http.js';

export function grafanaAnnotation(n: Notification, config: Record<string, unknown>) {
  const e = n.event;
  const tags = [
    'opstrails',
    ...(e
      ? [e.type, e.source, ...(e.subject ? [e.subject] : []), ...(e.version ? [e.version] : [])]
      : [n.kind]),
    ...(Array.isArray(config.tags) ? config.tags.map(String) : []),
  ];
  const text = `${n.title}${e?.description ? `\n${e.description}` : ''}\n<a href="${n.link}">Open in OpsTrails</a>`;
  return {
    ...(typeof config.dashboardUid === 'string' ? { dashboardUID: config.dashboardUid } : {}),
    time: Date.parse(e?.time ?? n.timestamp),
    tags: [...new Set(tags)].slice(0, 20),
    text,
  };
}

export const grafana: ChannelType = {
  type: 'grafana',
  label: 'Grafana annotations',
  forwardingOnly: true,
  config: z.strictObject({
    url: urlField('your Grafana, e.g. https://grafana.example.com'),
    apiToken: secretField('a Grafana service account token with the annotations:write permission'),
    dashboardUid: z.string().trim().min(1).max(100).optional(),
    tags: tagsField.optional(),
  }),
  secretFields: ['apiToken'],
  send: (target, n, ctx) =>
    sendHttp(ctx.http, {
      url: joinUrl(String(target.config.url), '/api/annotations'),
      headers: { authorization: `Bearer ${String(target.config.apiToken)}` },
      body: grafanaAnnotation(n, target.config),
    }),
};
