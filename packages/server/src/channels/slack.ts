/** Slack: an incoming-webhook message with blocks (header, text, facts, a button to the console) and `text` as the notification fallback. */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField } from './config-fields.js';
import { causeNotes, eventPhrase, facts, type Notification } from './notification.js';
import { isHttpUrl, sendHttp } from './send-http.js';

/** Slack mrkdwn treats &, < and > as markup. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(n: Notification): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: n.title.slice(0, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: esc(n.text).slice(0, 3_000) } },
  ];
  const f = facts(n);
  if (f.length > 0)
    blocks.push({
      type: 'section',
      fields: f
        .slice(0, 10)
        .map((x) => ({ type: 'mrkdwn', text: `*${esc(x.label)}*\n${esc(x.value)}`.slice(0, 2_000) })),
    });
  for (const c of (n.causes ?? []).slice(0, 5)) {
    const broke = causeNotes(c).length > 0 ? `\n:warning: ${esc(causeNotes(c).join('; '))}` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${c.rank}.* <${c.event.link}|${esc(eventPhrase(c.event))}> · ${c.minutesBefore} min before\n${esc(c.reasons.join('; '))}${broke}`.slice(
          0,
          3_000,
        ),
      },
    });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in OpsTrails' }, url: n.link }],
  });
  return { text: esc(`${n.title}: ${n.text}`).slice(0, 3_000), blocks };
}

export const slack: ChannelType = {
  type: 'slack',
  label: 'Slack',
  config: z.strictObject({
    webhookUrl: secretField(
      'the incoming webhook URL Slack gave you (https://hooks.slack.com/services/…)',
    ).refine(isHttpUrl, { message: 'must be the incoming webhook URL, https://hooks.slack.com/services/…' }),
  }),
  secretFields: ['webhookUrl'],
  send: (target, n, ctx) =>
    sendHttp(ctx.http, { url: String(target.config.webhookUrl), body: slackMessage(n) }),
};
