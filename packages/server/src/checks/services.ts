/** What health checks need at run time, made once per store: the repository and the outbound HTTP client. */
import type { Config } from '../config.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { HealthCheckRepository } from '../store/health-checks.js';
import type { Store } from '../store/store.js';

export interface CheckServices {
  repo: HealthCheckRepository;
  http: OutboundHttpClient;
}

const made = new WeakMap<Store, CheckServices>();

export function checkServices(store: Store, config: Config): CheckServices {
  let services = made.get(store);
  if (!services) {
    services = {
      repo: new HealthCheckRepository(store.db),
      http: new OutboundHttpClient({
        allow: config.outbound.allowPrivateTargets,
        extraCa: config.outbound.extraCa,
      }),
    };
    made.set(store, services);
  }
  return services;
}
