/**
 * Settings of notification channels, parsed by loadConfig (config.ts); docs/configuration.md
 * lists them. OPSTRAILS_SMTP_URL: the operator's mail server for email channels
 * (`smtp://user:password@mail.example.com:587`, `smtps://…:465`); unset, email channels are
 * refused at creation and a queued mail fails saying so. OPSTRAILS_SMTP_FROM: the sender.
 * OPSTRAILS_SECRET: the key material stored channel secrets are encrypted with (secrets.ts);
 * unset, a key file generated in the data directory is used.
 */
import { ConfigError } from '../config.js';

export interface ChannelsConfig {
  smtpUrl: string | undefined;
  smtpFrom: string;
  secret: string | undefined;
}

const SECRET_MIN = 16;

export function parseChannelsConfig(env: NodeJS.ProcessEnv): ChannelsConfig {
  const smtpUrl = env.OPSTRAILS_SMTP_URL?.trim() || undefined;
  if (smtpUrl) {
    let url: URL | null = null;
    try {
      url = new URL(smtpUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
      throw new ConfigError(
        `OPSTRAILS_SMTP_URL is not an SMTP URL: use smtp://user:password@mail.example.com:587 (STARTTLS) or smtps://user:password@mail.example.com:465`,
      );
    }
  }
  const smtpFrom = env.OPSTRAILS_SMTP_FROM?.trim() || 'OpsTrails <opstrails@localhost>';
  const secret = env.OPSTRAILS_SECRET || undefined;
  if (secret !== undefined && secret.length < SECRET_MIN) {
    throw new ConfigError(
      `OPSTRAILS_SECRET is ${secret.length} characters: use at least ${SECRET_MIN} random characters (e.g. the output of openssl rand -hex 32)`,
    );
  }
  return { smtpUrl, smtpFrom, secret };
}
