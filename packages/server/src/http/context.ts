/** What every route registrar receives: the store and the shared services around it. */
import type { KeyVerifier } from '../auth/key-verifier.js';
import type { Config } from '../config.js';
import type { LiveBus } from '../live/bus.js';
import type { Store } from '../store/store.js';
import type { QuotaGuard } from '../usage/quota.js';

export interface AppContext {
  config: Config;
  store: Store;
  bus: LiveBus;
  keys: KeyVerifier;
  quota: QuotaGuard;
}
