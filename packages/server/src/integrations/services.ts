/**
 * What metrics need at run time, made once per store: the metric store, the integration service
 * (with the secret box and the outbound HTTP client every provider request goes through).
 */
import type { Config } from '../config.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { SecretBox } from '../secrets.js';
import { IntegrationRepository } from '../store/integrations.js';
import { type MetricRepository, metricRepository } from '../store/metrics.js';
import type { Store } from '../store/store.js';
import { IntegrationService } from './service.js';

export interface MetricServices {
  store: Store;
  metrics: MetricRepository;
  integrations: IntegrationService;
}

const made = new WeakMap<Store, MetricServices>();

export function metricServices(store: Store, config: Config): MetricServices {
  let services = made.get(store);
  if (!services) {
    services = {
      store,
      metrics: metricRepository(store),
      integrations: new IntegrationService(
        store,
        new IntegrationRepository(store.db),
        new SecretBox({ secret: config.channels.secret, dataDir: config.dataDir }),
        new OutboundHttpClient({
          allow: config.outbound.allowPrivateTargets,
          extraCa: config.outbound.extraCa,
        }),
      ),
    };
    made.set(store, services);
  }
  return services;
}
