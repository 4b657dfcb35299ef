/**
 * What channels need at run time, made once per server: the secret box, the outbound HTTP client
 * (address policy), the mailer, and the channel service. The routes, the senders and the
 * consumers share it (keyed by the store).
 */
import type { Config } from '../config.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { SecretBox } from '../secrets.js';
import { ChannelRepository } from '../store/channels.js';
import type { Store } from '../store/store.js';
import { type Mailer, smtpMailer } from './mailer.js';
import { ChannelService } from './service.js';

export interface ChannelServices {
  channels: ChannelService;
  http: OutboundHttpClient;
  mailer: Mailer;
  publicUrl: string;
}

const made = new WeakMap<Store, ChannelServices>();

export function channelServices(store: Store, config: Config): ChannelServices {
  let services = made.get(store);
  if (!services) {
    services = {
      channels: new ChannelService(
        new ChannelRepository(store.db),
        new SecretBox({ secret: config.channels.secret, dataDir: config.dataDir }),
      ),
      http: new OutboundHttpClient({
        allow: config.outbound.allowPrivateTargets,
        extraCa: config.outbound.extraCa,
      }),
      mailer: smtpMailer(config.channels.smtpUrl, config.channels.smtpFrom),
      publicUrl: config.publicUrl,
    };
    made.set(store, services);
  }
  return services;
}
