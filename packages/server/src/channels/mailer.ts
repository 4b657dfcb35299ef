/**
 * Mail through the operator's SMTP server (OPSTRAILS_SMTP_URL) with nodemailer: it speaks
 * STARTTLS and implicit TLS, authentication, and builds the multipart plain-text + HTML message,
 * which is more than a notification feature should implement itself. The SMTP server is the
 * operator's own setting, not an organization's target, so the outbound address policy does not
 * apply to it.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { SendResult } from '../reactions/outbox-sender.js';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Kept the same on every attempt, so a resend is recognisable (Message-ID). */
  messageId: string;
}

export interface Mailer {
  readonly configured: boolean;
  send(mail: Mail): Promise<SendResult>;
  close(): void;
}

/** smtp:// connects in plain text and upgrades with STARTTLS when offered; smtps:// is TLS from the start. */
function transportOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 8_000,
    greetingTimeout: 8_000,
    socketTimeout: 8_000,
  };
}

export function smtpMailer(smtpUrl: string | undefined, from: string): Mailer {
  let transport: Transporter | null = null;
  return {
    configured: smtpUrl !== undefined,
    async send(mail) {
      if (!smtpUrl)
        return {
          ok: false,
          answer:
            'no mail server: set OPSTRAILS_SMTP_URL (e.g. smtp://user:password@mail.example.com:587) and restart',
          permanent: 'this server has no mail server configured',
        };
      transport ??= nodemailer.createTransport(transportOptions(smtpUrl));
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
        });
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0 && rejected.length === mail.to.length)
          return {
            ok: false,
            answer: `every recipient refused: ${info.response}`,
            permanent: 'the mail server refused every recipient',
          };
        return { ok: true, answer: String(info.response ?? 'sent') };
      } catch (error) {
        // SMTP 5xx replies are permanent by definition (RFC 5321 section 4.2.1); 4xx are worth a retry.
        const code = (error as { responseCode?: number }).responseCode;
        return {
          ok: false,
          answer: `SMTP: ${(error as Error).message}`,
          ...(code !== undefined && code >= 500 ? { permanent: `the mail server answered ${code}` } : {}),
        };
      }
    },
    close() {
      transport?.close();
    },
  };
}
