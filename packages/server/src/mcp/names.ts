/**
 * How the tools read a `type`, `source` or `subject` argument: in any case (the store's folded
 * columns), and with `*` as a pattern over the organization's own names (domain/name-pattern.ts),
 * resolved to the matching names first so the query still walks the folded index with an IN
 * list. When nothing matches, `nearMiss` says what exists that is close.
 */
import { closestNames, isPattern, nameMatcher } from '../domain/name-pattern.js';
import type { NameField } from '../store/distinct-values.js';
import type { ToolEnv } from './tool.js';

const PLURAL: Record<NameField, string> = { type: 'types', source: 'sources', subject: 'subjects' };

export interface ResolvedName {
  /** The values to filter on (folded by the store); undefined: no filter. Empty: a pattern that matched nothing. */
  filter: string[] | undefined;
  /** The names a pattern covered, as sent; null for a plain name. */
  matched: string[] | null;
}

export async function resolveName(
  env: ToolEnv,
  field: NameField,
  asked: string | undefined,
): Promise<ResolvedName> {
  if (asked === undefined) return { filter: undefined, matched: null };
  if (!isPattern(asked)) return { filter: [asked], matched: null };
  const matches = nameMatcher(asked);
  const covered = (await env.store.events.names(env.orgId, field)).filter((n) => matches(n.name));
  return { filter: covered.map((n) => n.folded), matched: covered.map((n) => n.name) };
}

/**
 * For an empty answer: each asked name that matches no name of the organization, with the close
 * ones that exist ("no events for subject "prod"; subjects seen: PRODUCTION, EU-PRODUCTION").
 * Null when every asked name exists (the other filters, or the range, left nothing).
 */
export async function nearMiss(
  env: ToolEnv,
  asked: Partial<Record<NameField, string>>,
): Promise<string | null> {
  const misses: string[] = [];
  for (const field of ['subject', 'source', 'type'] as const) {
    const name = asked[field];
    if (name === undefined) continue;
    const known = (await env.store.events.names(env.orgId, field)).map((n) => n.name);
    const matches = nameMatcher(name);
    if (known.some(matches)) continue;
    misses.push(
      known.length === 0
        ? `no events for ${field} "${name}"; no ${PLURAL[field]} seen yet`
        : `no events for ${field} "${name}"; ${PLURAL[field]} seen: ${closestNames(name, known).join(', ')}`,
    );
  }
  return misses.length === 0 ? null : misses.join('; ');
}

/** The `matched` part of an answer: what each pattern covered. */
export function matchedNames(resolved: Partial<Record<NameField, ResolvedName>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, r] of Object.entries(resolved))
    if (r?.matched) out[PLURAL[field as NameField]] = r.matched;
  return out;
}
