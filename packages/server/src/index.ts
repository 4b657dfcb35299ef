export { KeyVerifier } from './auth/key-verifier.js';
export { type Config, ConfigError, type ConfigOverrides, loadConfig } from './config.js';
export { buildApp } from './http/app.js';
export { LiveBus } from './live/bus.js';
export { type RunningServer, startServer } from './server.js';
export { KEY_PREFIX, type KeyGrant } from './store/api-keys.js';
export { DEFAULT_ORG_SLUG, type Organization, slugProblem } from './store/organizations.js';
export { openStore, SQLITE_FILE, type Store, type StoreOptions } from './store/store.js';
