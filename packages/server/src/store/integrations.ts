/** Rows of analytics integrations and metric mappings (migration 014). Secrets arrive sealed. */
import type { Kysely } from 'kysely';
import {
  type IntegrationsTable,
  type MetricDatabase,
  type MetricMappingsTable,
  withMetricTables,
} from './metric-tables.js';
import type { Database } from './schema.js';

export type IntegrationRow = IntegrationsTable;
export type MappingRow = MetricMappingsTable;

export class IntegrationRepository {
  private readonly db: Kysely<MetricDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = withMetricTables(db);
  }

  async list(orgId: string): Promise<IntegrationRow[]> {
    return this.db
      .selectFrom('integrations')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async count(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('integrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async get(orgId: string, id: string): Promise<IntegrationRow | undefined> {
    return this.db
      .selectFrom('integrations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: IntegrationRow): Promise<void> {
    await this.db.insertInto('integrations').values(row).execute();
  }

  async update(orgId: string, id: string, change: Partial<IntegrationRow>): Promise<void> {
    await this.db
      .updateTable('integrations')
      .set(change)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('integrations')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async mappings(orgId: string): Promise<MappingRow[]> {
    return this.db
      .selectFrom('metric_mappings')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('metric')
      .orderBy('created_at')
      .execute();
  }

  async mappingsOf(orgId: string, integrationId: string): Promise<MappingRow[]> {
    return this.db
      .selectFrom('metric_mappings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('integration_id', '=', integrationId)
      .execute();
  }

  async mapping(orgId: string, id: string): Promise<MappingRow | undefined> {
    return this.db
      .selectFrom('metric_mappings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertMapping(row: MappingRow): Promise<void> {
    await this.db.insertInto('metric_mappings').values(row).execute();
  }

  async updateMapping(orgId: string, id: string, change: Partial<MappingRow>): Promise<void> {
    await this.db
      .updateTable('metric_mappings')
      .set(change)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async deleteMapping(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('metric_mappings')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
