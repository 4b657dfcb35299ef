/**
 * `opstrails orgs set-plan <slug> <plan>` and `opstrails orgs show <slug>`: the operator gives an
 * organization a plan (with per-limit overrides) and sees its limits and usage (extended API
 * section 8). Like the other admin commands they work on the store directly; a running server
 * applies a new plan within seconds (its plan cache), every limit at its next check.
 */
import type { PlanLimits, PlanName } from '@opstrails/core';
import { type Command, Option } from 'commander';
import { resolveOrg, withStore } from '../admin-store.js';
import { printTable } from '../output.js';

interface StoreFlag {
  dataDir?: string;
}

/** Where each limit's usage is found in `organizationUsage(...).usage`; retention has none. */
const USAGE_OF: Record<keyof PlanLimits, string | null> = {
  eventsPerMonth: 'eventsThisMonth',
  eventsPerDay: 'eventsToday',
  retentionDays: null,
  mcpCallsPerMonth: 'mcpCallsThisMonth',
  members: 'members',
  apiKeys: 'apiKeys',
  deploymentPolicies: 'deploymentPolicies',
  freezeWindows: 'freezeWindows',
  notificationChannels: 'notificationChannels',
  analyticsIntegrations: 'analyticsIntegrations',
};

/** `--limit apiKeys=20` (or `=unlimited`), repeatable, into overrides; a bad one names the fix. */
async function parseLimits(pairs: string[]): Promise<Partial<PlanLimits>> {
  const { ConfigError } = await import('@opstrails/server');
  const { LIMIT_NAMES, isLimitName } = await import('@opstrails/core');
  const overrides: Partial<PlanLimits> = {};
  for (const pair of pairs) {
    const [name = '', value = ''] = pair.split('=', 2);
    if (!isLimitName(name)) {
      throw new ConfigError(`--limit ${pair}: unknown limit "${name}"; one of ${LIMIT_NAMES.join(', ')}`);
    }
    if (value === 'unlimited') overrides[name] = null;
    else if (/^\d{1,15}$/.test(value)) overrides[name] = Number(value);
    else
      throw new ConfigError(
        `--limit ${pair}: the value must be a whole number >= 0 or "unlimited", e.g. ${name}=20`,
      );
  }
  return overrides;
}

const shown = (n: number | null) => (n === null ? 'unlimited' : String(n));

export function registerOrgPlan(orgs: Command, planNames: readonly PlanName[]): void {
  orgs
    .command('set-plan <slug> <plan>')
    .description(
      "Give an organization a plan; --limit overrides single limits of it (the others stay the plan's).",
    )
    .addOption(
      new Option('--limit <name=value>', 'override one limit: a whole number or "unlimited" (repeatable)')
        .default([])
        .argParser((v: string, prev: string[]) => [...prev, v]),
    )
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText(
      'after',
      `\nPlans: ${planNames.join(', ')}. Setting a plan replaces earlier overrides.\n\nExamples:\n  $ opstrails orgs set-plan acme starter\n  $ opstrails orgs set-plan acme starter --limit apiKeys=20 --limit analyticsIntegrations=unlimited\n  $ opstrails orgs set-plan acme unlimited`,
    )
    .action(async (slug: string, plan: string, flags: StoreFlag & { limit: string[] }) => {
      const { ConfigError } = await import('@opstrails/server');
      const { isPlanName } = await import('@opstrails/core');
      if (!isPlanName(plan)) throw new ConfigError(`unknown plan "${plan}"; one of ${planNames.join(', ')}`);
      const overrides = await parseLimits(flags.limit);
      await withStore(flags, async (store) => {
        const org = await resolveOrg(store, slug);
        await store.organizations.setPlan(org.id, plan, overrides);
        const named = Object.entries(overrides).map(([name, value]) => `${name}=${shown(value)}`);
        process.stderr.write(
          `organization ${org.slug} is on the ${plan} plan${named.length > 0 ? ` with ${named.join(', ')}` : ''}\n`,
        );
      });
    });

  orgs
    .command('show <slug>')
    .description('Show an organization: its plan, every limit (with overrides) and its usage.')
    .option('--json', 'print JSON instead of a table')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText('after', '\nExamples:\n  $ opstrails orgs show acme\n  $ opstrails orgs show acme --json')
    .action(async (slug: string, flags: StoreFlag & { json?: boolean }) => {
      const { organizationUsage } = await import('@opstrails/server');
      await withStore(flags, async (store) => {
        const org = await resolveOrg(store, slug);
        const all = await organizationUsage(store, org);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ id: org.id, slug: org.slug, name: org.name, ...all }, null, 2)}\n`,
          );
          return;
        }
        process.stdout.write(
          `${org.slug} ("${org.name}"), ${org.id}\nplan: ${all.plan}, period ${all.period}\n\n`,
        );
        const usage = all.usage as unknown as Record<string, number>;
        printTable(
          ['LIMIT', 'USED', 'OF', 'SET BY'],
          (Object.keys(USAGE_OF) as (keyof PlanLimits)[]).map((name) => {
            const field = USAGE_OF[name];
            return [
              name,
              field === null ? '-' : String(usage[field]),
              shown(all.limits[name]),
              Object.hasOwn(all.limitOverrides, name) ? 'override' : 'plan',
            ];
          }),
          'no limits',
        );
      });
    });
}
