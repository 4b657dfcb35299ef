/** Email: a plain-text and HTML mail over the server's SMTP (OPSTRAILS_SMTP_URL), to the listed recipients or the organization's owners and admins. */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { causeNotes, eventPhrase, facts, type Notification, plainText } from './notification.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function mailHtml(n: Notification): string {
  const rows = facts(n)
    .map(
      (f) =>
        `<tr><th align="left" style="padding-right:12px">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`,
    )
    .join('');
  const causes = (n.causes ?? [])
    .map(
      (c) =>
        `<li><a href="${esc(c.event.link)}">${esc(eventPhrase(c.event))}</a>, ${c.minutesBefore} min before<br>${esc(c.reasons.join('; '))}${
          causeNotes(c).length > 0 ? `<br>${esc(causeNotes(c).join('; '))}` : ''
        }</li>`,
    )
    .join('');
  return [
    `<h2 style="font-family:sans-serif">${esc(n.title)}</h2>`,
    `<p style="font-family:sans-serif">${esc(n.text)}</p>`,
    rows ? `<table style="font-family:sans-serif">${rows}</table>` : '',
    causes ? `<ol style="font-family:sans-serif">${causes}</ol>` : '',
    `<p style="font-family:sans-serif"><a href="${esc(n.link)}">Open in OpsTrails</a></p>`,
  ].join('\n');
}

export const email: ChannelType = {
  type: 'email',
  label: 'Email',
  config: z.strictObject({
    recipients: z
      .array(z.email({ message: 'must be email addresses, e.g. ["oncall@example.com"]' }))
      .max(50, { message: 'at most 50 addresses; use a mailing list' })
      .optional(),
  }),
  secretFields: [],
  async send(target, n, ctx) {
    const listed = target.config.recipients;
    const to = Array.isArray(listed) && listed.length > 0 ? listed.map(String) : await ctx.adminEmails();
    if (to.length === 0)
      return {
        ok: false,
        answer: 'no recipients: the organization has no owner or admin with an email address',
      };
    const domain = 'opstrails.local';
    return ctx.mailer.send({
      to,
      subject: `[OpsTrails] ${n.title}`.slice(0, 200),
      text: plainText(n),
      html: mailHtml(n),
      messageId: `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@${domain}>`,
    });
  },
};
