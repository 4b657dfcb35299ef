/**
 * Completion of argument values (`completion/complete`) from the organization's own data:
 * subjects, sources and types among all its events (most used first), versions and event ids
 * among its newest events (newest first; narrowed to the `source` and `subject` already filled
 * in, when the client sends them as context). Matching is by prefix, case-insensitive; the SDK
 * answers at most 100 values with the total. The lists are cached per organization for a short
 * while, since a client asks on every keystroke.
 */
import { type RecentEventKeys, recentEventKeys } from '../store/completion-queries.js';
import { foldCase } from '../store/fold-case.js';
import type { Store } from '../store/store.js';

export type CompletionField = 'subject' | 'source' | 'type' | 'version' | 'event_id';

const CACHE_MS = 30_000;
/** How many of the newest events versions and ids are completed from. */
export const RECENT_EVENTS = 2_000;

interface Cached<T> {
  value: T;
  until: number;
}

export class CompletionValues {
  private readonly counted = new Map<string, Cached<string[]>>();
  private readonly recent = new Map<string, Cached<RecentEventKeys[]>>();

  constructor(private readonly store: Store) {}

  /** `context` holds the arguments already filled in (`source`, `subject`), which narrow versions and ids. */
  async complete(
    orgId: string,
    field: CompletionField,
    typed: string,
    context: Record<string, string> = {},
    now = Date.now(),
  ): Promise<string[]> {
    const prefix = foldCase(typed);
    const values =
      field === 'version' || field === 'event_id'
        ? this.fromRecent(await this.recentKeys(orgId, now), field, context)
        : await this.countedValues(orgId, field, now);
    return values.filter((v) => foldCase(v).startsWith(prefix));
  }

  private fromRecent(
    rows: RecentEventKeys[],
    field: 'version' | 'event_id',
    context: Record<string, string>,
  ) {
    const same = (wanted: string | undefined, value: string | null) =>
      !wanted || (value !== null && foldCase(value) === foldCase(wanted));
    const values = rows
      .filter((r) => same(context.source, r.source) && same(context.subject, r.subject))
      .map((r) => (field === 'version' ? r.version : r.id));
    return [...new Set(values.filter((v): v is string => v !== null))];
  }

  private async recentKeys(orgId: string, now: number): Promise<RecentEventKeys[]> {
    return cached(this.recent, orgId, now, () => recentEventKeys(this.store.readDb, orgId, RECENT_EVENTS));
  }

  private async countedValues(orgId: string, field: 'subject' | 'source' | 'type', now: number) {
    return cached(this.counted, `${orgId}\u0000${field}`, now, async () =>
      (await this.store.events.countBy(orgId, field)).map((r) => r.value),
    );
  }
}

async function cached<T>(cache: Map<string, Cached<T>>, key: string, now: number, read: () => Promise<T>) {
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.value;
  const value = await read();
  cache.set(key, { value, until: now + CACHE_MS });
  return value;
}
