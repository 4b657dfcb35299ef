/**
 * Completion of argument values (`completion/complete`) from the organization's own data:
 * subjects, sources and types among all its events (most used first), versions and event ids
 * among its newest events (newest first). Matching is by prefix, case-insensitive; the SDK
 * answers at most 100 values with the total. The lists are cached per organization for a
 * short while, since a client asks on every keystroke.
 */
import { recentIdsAndVersions } from '../store/completion-queries.js';
import { foldCase } from '../store/fold-case.js';
import type { Store } from '../store/store.js';

export type CompletionField = 'subject' | 'source' | 'type' | 'version' | 'event_id';

const CACHE_MS = 30_000;
/** How many of the newest events versions and ids are completed from. */
export const RECENT_EVENTS = 2_000;

export class CompletionValues {
  private readonly cache = new Map<string, { values: string[]; until: number }>();

  constructor(private readonly store: Store) {}

  async complete(orgId: string, field: CompletionField, typed: string, now = Date.now()): Promise<string[]> {
    const prefix = foldCase(typed);
    return (await this.values(orgId, field, now)).filter((v) => foldCase(v).startsWith(prefix));
  }

  private async values(orgId: string, field: CompletionField, now: number): Promise<string[]> {
    const key = `${orgId}\u0000${field}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.values;
    const values = await this.read(orgId, field);
    this.cache.set(key, { values, until: now + CACHE_MS });
    return values;
  }

  private async read(orgId: string, field: CompletionField): Promise<string[]> {
    if (field === 'version' || field === 'event_id') {
      const rows = await recentIdsAndVersions(this.store.readDb, orgId, RECENT_EVENTS);
      const values = field === 'version' ? rows.map((r) => r.version) : rows.map((r) => r.id);
      return [...new Set(values.filter((v): v is string => v !== null))];
    }
    return (await this.store.events.countBy(orgId, field)).map((r) => r.value);
  }
}
