/** What a deployment policy's rule type is made of (one file per rule type beside this one). */
import type { JudgedEvent } from '../types.js';

/**
 * The earlier events a rule needs to judge one event: those stored before it (in commit order)
 * whose time is in [from, to], narrowed as said. The store answers it with one indexed query; the
 * check endpoint with every stored event; tests from a crafted timeline (`selectPrior`).
 */
export interface HistoryNeed {
  from: number;
  to: number;
  /** Count these types (any case) instead of the policy's own filter of types. */
  types?: readonly string[];
  /** Only events of the judged event's source and subject. */
  sameSourceAndSubject?: boolean;
  /** At most this many (the rule needs no more to decide). */
  limit?: number;
  /** The newest first (COOLDOWN); counting rules take any, which lets the store stop at the limit without sorting. */
  newestFirst?: boolean;
}

export interface Rule<C> {
  /** Reads and checks a config, or says which field is wrong and how to fix it. */
  parse(config: unknown): { ok: true; config: C } | { ok: false; field: string; message: string };
  /** The rule in plain words ("no deployments on Saturday or Sunday (Europe/Berlin)"). */
  summary(config: C): string;
  /** The earlier events it needs, or null when the event's time alone decides. */
  history(config: C, e: JudgedEvent): HistoryNeed | null;
  /** Why `e` breaks the rule, or null. `prior` answers `history` (empty when it is null). */
  judge(config: C, e: JudgedEvent, prior: readonly JudgedEvent[]): string | null;
}

type Check = { ok: true } | { ok: false; field: string; message: string };

export function objectOf(config: unknown, fields: readonly string[], example: string): Check {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    return { ok: false, field: 'config', message: `must be an object such as ${example}` };
  const unknown = Object.keys(config).find((k) => !fields.includes(k));
  if (unknown)
    return { ok: false, field: `config.${unknown}`, message: `is not a field of this rule; send ${example}` };
  return { ok: true };
}

/** An integer in [min, max] at `config[name]`, or the problem. */
export function intField(
  config: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): { ok: true; value: number } | { ok: false; field: string; message: string } {
  const v = config[name];
  if (v === undefined) return { ok: false, field: `config.${name}`, message: `is required (${min}-${max})` };
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return {
      ok: false,
      field: `config.${name}`,
      message: `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`,
    };
  return { ok: true, value: v };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
