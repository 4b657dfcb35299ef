/**
 * Opens the configured store directly, for admin commands that work without a running server
 * (`keys`, `orgs`). Reads the same settings as `serve`.
 */
import type { Config, Organization, Store } from '@opstrails/server';

/**
 * The server's modules load on first use, not at start: the client commands (send, events, ...)
 * never need them and start in a fraction of the time and memory.
 */
const server = () => import('@opstrails/server');

export interface StoreFlags {
  dataDir?: string;
}

export async function withStore<T>(
  flags: StoreFlags,
  work: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const { loadConfig, openStore } = await server();
  const config = loadConfig(process.env, { dataDir: flags.dataDir });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    sqliteSync: config.sqliteSync,
  });
  try {
    await store.organizations.ensureDefault();
    return await work(store, config);
  } finally {
    await store.close();
  }
}

/** The organization named by `--org`, or the default one; a clear error lists the slugs when not found. */
export async function resolveOrg(store: Store, slug: string | undefined): Promise<Organization> {
  const { ConfigError, DEFAULT_ORG_SLUG } = await server();
  const org = await store.organizations.bySlug(slug ?? DEFAULT_ORG_SLUG);
  if (org) return org;
  const known = (await store.organizations.list()).map((o) => o.slug).join(', ');
  throw new ConfigError(`no organization "${slug}"; known organizations: ${known}`);
}
