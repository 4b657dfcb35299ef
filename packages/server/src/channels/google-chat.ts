/** Google Chat: an incoming-webhook message with a card (header, facts, causes, a button to the console) and `text` as the fallback. */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField } from './config-fields.js';
import { causeNotes, eventPhrase, facts, type Notification } from './notification.js';
import { isHttpUrl, sendHttp } from './send-http.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chatMessage(n: Notification, idempotencyKey: string): Record<string, unknown> {
  const widgets: Record<string, unknown>[] = [{ textParagraph: { text: esc(n.text) } }];
  for (const f of facts(n))
    widgets.push({ decoratedText: { topLabel: f.label, text: esc(f.value), wrapText: true } });
  for (const c of (n.causes ?? []).slice(0, 5)) {
    const broke = causeNotes(c).length > 0 ? `<br>${esc(causeNotes(c).join('; '))}` : '';
    widgets.push({
      textParagraph: {
        text: `<b>${c.rank}.</b> <a href="${c.event.link}">${esc(eventPhrase(c.event))}</a>, ${c.minutesBefore} min before<br>${esc(c.reasons.join('; '))}${broke}`,
      },
    });
  }
  widgets.push({
    buttonList: { buttons: [{ text: 'Open in OpsTrails', onClick: { openLink: { url: n.link } } }] },
  });
  return {
    text: esc(`${n.title}: ${n.text}`),
    cardsV2: [
      {
        cardId: idempotencyKey.slice(0, 64),
        card: { header: { title: n.title, subtitle: n.organization.name }, sections: [{ widgets }] },
      },
    ],
  };
}

export const googleChat: ChannelType = {
  type: 'google-chat',
  label: 'Google Chat',
  config: z.strictObject({
    webhookUrl: secretField(
      'the space webhook URL (https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…)',
    ).refine(isHttpUrl, {
      message: 'must be the space webhook URL, https://chat.googleapis.com/v1/spaces/…',
    }),
  }),
  secretFields: ['webhookUrl'],
  send: (target, n, ctx) =>
    sendHttp(ctx.http, {
      url: String(target.config.webhookUrl),
      body: chatMessage(n, ctx.idempotencyKey),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    }),
};
