/**
 * The one interface every analytics provider implements (Prometheus here; the SaaS connectors
 * add one file each and a line in registry.ts): read a series for a range at a step, and say
 * whether the provider answers.
 */
import type { OutboundHttpClient } from '../outbound/http-client.js';

export interface SeriesRequest {
  /** The provider's own query, with `$subject` and `$source` already replaced. */
  query: string;
  /** Epoch milliseconds; `from` inclusive, `to` exclusive. */
  from: number;
  to: number;
  stepSeconds: number;
}

export interface SeriesPoint {
  /** Epoch milliseconds, a multiple of the step. */
  time: number;
  value: number;
}

export interface TestOutcome {
  ok: boolean;
  /** What the provider answered, in words. */
  message: string;
}

export interface IntegrationProvider {
  fetchSeries(request: SeriesRequest): Promise<SeriesPoint[]>;
  test(): Promise<TestOutcome>;
}

/** A provider that failed to answer; the message says what it answered (shown as the integration's lastError). */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

/** The configuration of one integration, split into what is shown and what is sealed. */
export interface SplitConfig {
  plain: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface ProviderDefinition {
  name: string;
  /**
   * Validates a whole config (throws a 400 naming the field) and splits off its secrets. On an
   * update `stored` is the current secrets: a field sent back masked ("••••abcd") keeps its value.
   */
  parseConfig(raw: unknown, stored?: Record<string, string>): SplitConfig;
  /** The config as answers show it: plain fields, secrets masked. */
  describe(config: SplitConfig): Record<string, unknown>;
  create(config: SplitConfig, http: OutboundHttpClient): IntegrationProvider;
  /** A `$subject`/`$source` value made safe for the provider's query language (a quoted NRQL string, a Datadog tag). */
  escapeValue?(value: string): string;
}

/** `$subject` and `$source` replaced by their values, escaped for a quoted string of the query language. */
export function substitute(
  query: string,
  values: { subject: string; source: string },
  escapeValue = (v: string) => v,
): string {
  return query.replace(/\$(subject|source)\b/g, (_, name: 'subject' | 'source') => escapeValue(values[name]));
}
