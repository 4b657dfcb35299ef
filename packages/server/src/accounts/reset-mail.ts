/** The reset mail: plain text and the same in simple HTML, with the link and what to do if it was not you. */
import { randomBytes } from 'node:crypto';
import type { Mail } from '../channels/mailer.js';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function resetMail(to: string, link: string, publicUrl: string): Mail {
  const host = new URL(publicUrl).host;
  const text = [
    `Someone (hopefully you) asked to reset the OpsTrails password of ${to} at ${host}.`,
    '',
    'Set a new password here (the link works once, for an hour):',
    link,
    '',
    'If it was not you, ignore this mail: your password stays as it is.',
  ].join('\n');
  const html = `<p>Someone (hopefully you) asked to reset the OpsTrails password of ${escapeHtml(to)} at ${escapeHtml(host)}.</p>
<p><a href="${escapeHtml(link)}">Set a new password</a> (the link works once, for an hour).</p>
<p>If it was not you, ignore this mail: your password stays as it is.</p>`;
  return {
    to: [to],
    subject: 'Reset your OpsTrails password',
    text,
    html,
    messageId: `<reset-${randomBytes(12).toString('hex')}@${host.replace(/:\d+$/, '')}>`,
  };
}
