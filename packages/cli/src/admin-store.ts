/**
 * Opens the configured store directly, for admin commands that work without a running server
 * (`keys`, `orgs`, `users`). Reads the same settings as `serve`, and says on stderr which store
 * it opened: a key made in a store the server does not use is refused as unknown, which looks
 * like a server bug unless the command said where it wrote.
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
    onUpgradeStep: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    // A store every server start has used holds the default organization: none means it is new.
    const isNew = (await store.organizations.list()).length === 0;
    await store.organizations.ensureDefault();
    process.stderr.write(`${describeStore(store, isNew)}\n`);
    return await work(store, config);
  } finally {
    await store.close();
  }
}

/** Which store a command used; when it had to create it, that it is empty and how to point elsewhere. */
function describeStore(store: Store, isNew: boolean): string {
  const where = `${store.location} (${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'})`;
  if (!isNew) return `using the store at ${where}`;
  return `created a new, empty store at ${where}; if your server uses another, point at it with --data-dir, OPSTRAILS_DATA_DIR or DATABASE_URL`;
}

/** The organization named by `--org`, or the default one; a clear error lists the slugs when not found. */
export async function resolveOrg(store: Store, slug: string | undefined): Promise<Organization> {
  const { ConfigError, DEFAULT_ORG_SLUG } = await server();
  const org = await store.organizations.bySlug(slug ?? DEFAULT_ORG_SLUG);
  if (org) return org;
  const known = (await store.organizations.list()).map((o) => o.slug).join(', ');
  throw new ConfigError(`no organization "${slug}"; known organizations: ${known}`);
}
