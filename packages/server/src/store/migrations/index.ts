/**
 * The one set of migrations for both engines. Each migration receives the engine so the few
 * type differences (BIGINT, identity columns) stay inside the migration that needs them.
 * Append new migrations; never edit one that has shipped.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Engine } from '../engine.js';
import * as initial from './001-initial.js';
import * as accounts from './002-accounts.js';
import * as eventsVersion from './003-events-version.js';
import * as eventsVersionCovering from './004-events-version-covering.js';
import * as identityById from './005-events-identity-by-id.js';
import * as eventsExtensions from './006-events-extensions.js';
import * as logPosition from './007-events-log-position.js';
import * as reactions from './008-reactions.js';
import * as loginThrottle from './009-login-throttle.js';
import * as oauth from './010-oauth.js';
import * as doraSettings from './011-dora-settings.js';
import * as guardrails from './012-guardrails.js';
import * as channels from './013-channels.js';
import * as metrics from './014-metrics.js';
import * as impactVerdicts from './015-impact-verdicts.js';
import * as receivers from './016-receivers.js';
import * as operators from './017-operators.js';
import * as accountsRecovery from './018-accounts-recovery.js';
import * as healthChecks from './020-health-checks.js';
import * as doraJudgements from './021-dora-judgements.js';
import * as observedVersions from './022-observed-versions.js';
import * as doraFigures from './023-dora-figures.js';
import * as gridCells from './024-grid-cells.js';
import * as eventsVersionSource from './025-events-version-source.js';
import * as valueCounts from './026-value-counts.js';
import * as versionCandidates from './027-version-candidates.js';

const ALL: Record<string, { up(db: Kysely<unknown>, engine: Engine): Promise<void> }> = {
  '001-initial': initial,
  '002-accounts': accounts,
  '003-events-version': eventsVersion,
  '004-events-version-covering': eventsVersionCovering,
  '005-events-identity-by-id': identityById,
  '006-events-extensions': eventsExtensions,
  '007-events-log-position': logPosition,
  '008-reactions': reactions,
  '009-login-throttle': loginThrottle,
  '010-oauth': oauth,
  '011-dora-settings': doraSettings,
  '012-guardrails': guardrails,
  '013-channels': channels,
  '014-metrics': metrics,
  '016-receivers': receivers,
  '015-impact-verdicts': impactVerdicts,
  '017-operators': operators,
  '018-accounts-recovery': accountsRecovery,
  '020-health-checks': healthChecks,
  '021-dora-judgements': doraJudgements,
  '022-observed-versions': observedVersions,
  '023-dora-figures': doraFigures,
  '024-grid-cells': gridCells,
  '025-events-version-source': eventsVersionSource,
  '026-value-counts': valueCounts,
  '027-version-candidates': versionCandidates,
};

/** Runs a migration of a store being upgraded, saying through `say` which one before (SQLite's statements block the process, so there is no saying it later) and how long it took after. */
export async function announced(
  name: string,
  run: () => Promise<void>,
  say?: (line: string) => void,
): Promise<void> {
  if (!say) return run();
  say(`upgrading the store: ${name}… (minutes on a store of millions of events; let it finish)`);
  const started = Date.now();
  await run();
  say(`upgrading the store: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

class InlineProvider implements MigrationProvider {
  constructor(
    private readonly engine: Engine,
    private readonly say?: (line: string) => void,
  ) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(ALL).map(([name, m]) => [
        name,
        { up: (db: Kysely<unknown>) => announced(name, () => m.up(db, this.engine), this.say) },
      ]),
    );
  }
}

/**
 * Brings the schema up to date; safe to run from several processes at once on PostgreSQL.
 * Upgrading a store that has data (some migrations applied already), `say` hears of each
 * migration it runs and how long it took: on millions of events a few take minutes. A new store's
 * migrations run silently.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  engine: Engine,
  schema?: string,
  say?: (line: string) => void,
): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema; naming ours keeps one schema's
  // tables from hiding another's missing ones (several stores in one database, as in tests).
  const upgrading = say !== undefined && (await isUpgrade(db, schema));
  const migrator = new Migrator({
    db,
    provider: new InlineProvider(engine, upgrading ? say : undefined),
    // Numbers are handed out ahead to work done side by side: a store may have a later one already.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely reads the catalog of every schema before migrating: another store's schema dropped at
  // that moment (several stores in one database, as in tests) fails the read, not a migration.
  // Nothing was applied then, so trying again is safe.
  for (let retry = 1; error && !results?.length && retry <= 3; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * retry));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Whether the store has migrations applied already (false when that cannot be read: then nothing is said). */
async function isUpgrade(db: Kysely<unknown>, schema?: string): Promise<boolean> {
  try {
    const migrations = await new Migrator({
      db,
      provider: new InlineProvider('sqlite'),
      ...(schema ? { migrationTableSchema: schema } : {}),
    }).getMigrations();
    return migrations.some((m) => m.executedAt !== undefined);
  } catch {
    return false;
  }
}
