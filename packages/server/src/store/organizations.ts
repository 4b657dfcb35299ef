/** The organizations repository: tenants, their plan and their business context. */
import {
  effectiveLimits,
  isPlanName,
  type PlanLimits,
  type PlanName,
  parseLimitOverrides,
} from '@opstrails/core';
import type { Kysely, Selectable } from 'kysely';
import { newId } from './ids.js';
import type { Database, OrganizationsTable } from './schema.js';

export type OrganizationRow = Selectable<OrganizationsTable>;

export interface Organization {
  id: string;
  slug: string;
  name: string;
  plan: PlanName;
  /** The operator's overrides of single limits (`opstrails orgs set-plan --limit`), on top of the plan. */
  limitOverrides: Partial<PlanLimits>;
  /** What is enforced: the plan's limits with the overrides applied. */
  limits: PlanLimits;
  createdAt: string;
}

export const DEFAULT_ORG_SLUG = 'default';
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

export function toOrganization(row: OrganizationRow): Organization {
  const plan = isPlanName(row.plan) ? row.plan : 'unlimited';
  const limitOverrides = parseLimitOverrides(row.limit_overrides);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    plan,
    limitOverrides,
    limits: effectiveLimits(plan, limitOverrides),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

/** Why a slug is refused, or null when it is fine. */
export function slugProblem(slug: string): string | null {
  return SLUG.test(slug)
    ? null
    : `slug "${slug}" must be 1-50 lowercase letters, digits or hyphens, starting and ending with a letter or digit`;
}

export class OrganizationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(slug: string, name: string, plan: PlanName = 'unlimited'): Promise<Organization> {
    const row: OrganizationRow = {
      id: newId('org'),
      slug,
      name,
      plan,
      created_at: Date.now(),
      business_context: null,
      context_updated_at: null,
      limit_overrides: null,
    };
    await this.db.insertInto('organizations').values(row).execute();
    return toOrganization(row);
  }

  /** The organization a fresh install starts with; created on first start. */
  async ensureDefault(): Promise<Organization> {
    await this.db
      .insertInto('organizations')
      .values({
        id: newId('org'),
        slug: DEFAULT_ORG_SLUG,
        name: 'Default organization',
        plan: 'unlimited',
        created_at: Date.now(),
        business_context: null,
        context_updated_at: null,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    const org = await this.bySlug(DEFAULT_ORG_SLUG);
    if (!org) throw new Error('default organization missing after creation');
    return org;
  }

  async bySlug(slug: string): Promise<Organization | null> {
    const row = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row ? toOrganization(row) : null;
  }

  async byId(id: string): Promise<Organization | null> {
    const row = await this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toOrganization(row) : null;
  }

  async list(): Promise<Organization[]> {
    const rows = await this.db.selectFrom('organizations').selectAll().orderBy('created_at').execute();
    return rows.map(toOrganization);
  }

  /** Sets the plan; with `overrides`, also replaces the per-limit overrides (`{}` clears them). */
  async setPlan(id: string, plan: PlanName, overrides?: Partial<PlanLimits>): Promise<void> {
    const limit_overrides =
      overrides === undefined
        ? undefined
        : Object.keys(overrides).length > 0
          ? JSON.stringify(overrides)
          : null;
    await this.db
      .updateTable('organizations')
      .set({ plan, ...(limit_overrides === undefined ? {} : { limit_overrides }) })
      .where('id', '=', id)
      .execute();
  }

  async getContext(id: string): Promise<{ context: string | null; updatedAt: string | null }> {
    const row = await this.db
      .selectFrom('organizations')
      .select(['business_context', 'context_updated_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return {
      context: row?.business_context ?? null,
      updatedAt: row?.context_updated_at ? new Date(Number(row.context_updated_at)).toISOString() : null,
    };
  }

  async setContext(id: string, context: string): Promise<string> {
    const now = Date.now();
    await this.db
      .updateTable('organizations')
      .set({ business_context: context, context_updated_at: now })
      .where('id', '=', id)
      .execute();
    return new Date(now).toISOString();
  }
}
