/** Microsoft Teams: a Workflows incoming-webhook message carrying an Adaptive Card (title, text, facts, causes, a link to the console). */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField } from './config-fields.js';
import { causeNotes, eventPhrase, facts, type Notification } from './notification.js';
import { isHttpUrl, sendHttp } from './send-http.js';

export function teamsMessage(n: Notification): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: n.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: n.text, wrap: true },
  ];
  const f = facts(n);
  if (f.length > 0) body.push({ type: 'FactSet', facts: f.map((x) => ({ title: x.label, value: x.value })) });
  for (const c of (n.causes ?? []).slice(0, 5)) {
    const broke = causeNotes(c).length > 0 ? ` ${causeNotes(c).join('; ')}.` : '';
    body.push({
      type: 'TextBlock',
      wrap: true,
      text: `${c.rank}. [${eventPhrase(c.event)}](${c.event.link}), ${c.minutesBefore} min before: ${c.reasons.join('; ')}.${broke}`,
    });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'Open in OpsTrails', url: n.link }],
        },
      },
    ],
  };
}

export const teams: ChannelType = {
  type: 'teams',
  label: 'Microsoft Teams',
  config: z.strictObject({
    webhookUrl: secretField(
      'the URL of the Teams workflow "When a Teams webhook request is received"',
    ).refine(isHttpUrl, { message: 'must be the workflow webhook URL (https://…)' }),
  }),
  secretFields: ['webhookUrl'],
  send: (target, n, ctx) =>
    sendHttp(ctx.http, { url: String(target.config.webhookUrl), body: teamsMessage(n) }),
};
