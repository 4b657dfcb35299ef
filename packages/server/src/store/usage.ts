/** Usage counters per organization, metric and period (UTC month and day), for quotas and the Usage page. */
import { usagePeriods } from '@opstrails/core';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type UsageMetric = 'events' | 'mcp_calls';

export class UsageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds `n` to the month and day counters of `metric`. */
  async add(orgId: string, metric: UsageMetric, n: number, at: number): Promise<void> {
    if (n <= 0) return;
    const { month, day } = usagePeriods(at);
    await this.db
      .insertInto('usage')
      .values([
        { org_id: orgId, metric, period: month, count: n },
        { org_id: orgId, metric, period: day, count: n },
      ])
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'metric', 'period'])
          .doUpdateSet((eb) => ({ count: eb('usage.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
  }

  /** This month's and today's counts. */
  async get(orgId: string, metric: UsageMetric, at: number): Promise<{ month: number; day: number }> {
    const { month, day } = usagePeriods(at);
    const rows = await this.db
      .selectFrom('usage')
      .select(['period', 'count'])
      .where('org_id', '=', orgId)
      .where('metric', '=', metric)
      .where('period', 'in', [month, day])
      .execute();
    const count = (p: string) => Number(rows.find((r) => r.period === p)?.count ?? 0);
    return { month: count(month), day: count(day) };
  }
}
