/**
 * What the model should know about the organization before anything else: business context
 * (or the template), plan limits, retention, quota use, field meanings and the subjects,
 * sources and types seen. Shared by the server instructions and `get_organization_context`.
 * The "seen" counts read every event, so they are cached per organization for a short while;
 * context and usage are read fresh, so an edit shows at once.
 */
import { usagePeriods } from '@opstrails/core';
import { contextOrTemplate } from '../domain/context-template.js';
import type { Store } from '../store/store.js';

const SEEN_CACHE_MS = 30_000;
/** Enough for a model to learn the vocabulary; the list_event_* tools give the rest. */
const SEEN_MAX = 50;

export interface Seen {
  name: string;
  count: number;
  lastSeen: string;
}

export interface OrgOverview {
  organization: { id: string; slug: string; name: string; plan: string };
  businessContext: { text: string; isTemplate: boolean; updatedAt: string | null };
  limits: Record<string, number | null>;
  retention: string;
  usage: {
    month: string;
    mcpCalls: number;
    mcpCallsLimit: number | null;
    events: number;
    eventsLimit: number | null;
    resetsOn: string;
  };
  fields: Record<string, string>;
  seen: { subjects: Seen[]; sources: Seen[]; types: Seen[] };
}

export const FIELD_GUIDE: Record<string, string> = {
  id: 'event id; with source it identifies the event',
  type: 'what happened: deployment, rollback, incident, db-migration, config-change, cache-purge, …',
  source: 'the system it happened to (rows of the grid): FE, BE, DB, CACHE, a repository URI …',
  subject: 'the environment (columns of the grid): PRODUCTION, STAGING, BRAND-A-PRODUCTION …',
  time: 'when it happened, RFC 3339 UTC',
  severity: 'how much it matters: LOW < MINOR < MAJOR < CRITICAL (may be null)',
  version: 'the release or build id the event is about (may be null)',
  data: 'free-form JSON from the sender; data.description is the human summary',
  createdAt: 'when the server received it',
};

function nextMonthStart(now: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

export class OrgOverviews {
  private readonly seenCache = new Map<string, { seen: OrgOverview['seen']; until: number }>();

  constructor(private readonly store: Store) {}

  /** Drops the cached "seen" counts (new events arrived), so the next read counts again. */
  forget(orgId: string): void {
    this.seenCache.delete(orgId);
  }

  async seen(orgId: string, now = Date.now()): Promise<OrgOverview['seen']> {
    const hit = this.seenCache.get(orgId);
    if (hit && hit.until > now) return hit.seen;
    const read = async (column: 'subject' | 'source' | 'type') =>
      (await this.store.events.countBy(orgId, column))
        .slice(0, SEEN_MAX)
        .map((r) => ({ name: r.value, count: r.count, lastSeen: r.lastSeen }));
    const [subjects, sources, types] = await Promise.all([read('subject'), read('source'), read('type')]);
    const seen = { subjects, sources, types };
    this.seenCache.set(orgId, { seen, until: now + SEEN_CACHE_MS });
    return seen;
  }

  async get(orgId: string, now = Date.now()): Promise<OrgOverview> {
    const org = await this.store.organizations.byId(orgId);
    if (!org) throw new Error(`organization ${orgId} vanished`);
    const limits = org.limits;
    const [stored, mcp, events, seen] = await Promise.all([
      this.store.organizations.getContext(orgId),
      this.store.usage.get(orgId, 'mcp_calls', now),
      this.store.usage.get(orgId, 'events', now),
      this.seen(orgId, now),
    ]);
    const context = contextOrTemplate(stored.context);
    return {
      organization: { id: org.id, slug: org.slug, name: org.name, plan: org.plan },
      businessContext: { text: context.context, isTemplate: context.isTemplate, updatedAt: stored.updatedAt },
      limits: { ...limits },
      retention:
        limits.retentionDays === null
          ? 'events are kept until deleted (no retention limit on this plan)'
          : `events older than ${limits.retentionDays} days are deleted`,
      usage: {
        month: usagePeriods(now).month,
        mcpCalls: mcp.month,
        mcpCallsLimit: limits.mcpCallsPerMonth,
        events: events.month,
        eventsLimit: limits.eventsPerMonth,
        resetsOn: nextMonthStart(now),
      },
      fields: FIELD_GUIDE,
      seen,
    };
  }
}
