/**
 * One run of an HTTP check: the request goes through the outbound client (address policy after
 * DNS and on every redirect, timeout, size cap), and the answer is judged against the check's
 * expectations. Never throws: a refusal, a timeout or a wrong answer is a failed run with the
 * reason in words.
 */
import { OutboundError, type OutboundHttpClient } from '../outbound/http-client.js';
import type { CheckResult, CheckSettings } from '../store/health-checks.js';

/** Bodies past this count as a failed run (the outbound client stops reading). */
export const PROBE_MAX_BYTES = 2 * 1024 * 1024;

export interface ProbeOutcome {
  result: CheckResult;
  /** Why the run failed, for people (null when it passed). */
  error: string | null;
}

type Expectations = Pick<
  CheckSettings,
  'url' | 'method' | 'expectedStatus' | 'expectedBody' | 'timeoutSeconds'
>;

/** Whether the answer is what the check expects: the status (any 2xx when none is set) and the body text. */
export function judgeAnswer(check: Expectations, status: number, body: string): string | null {
  if (check.expectedStatus !== null ? status !== check.expectedStatus : status < 200 || status > 299)
    return `HTTP ${status} (expected ${check.expectedStatus ?? '2xx'})`;
  if (check.expectedBody !== null && !body.includes(check.expectedBody))
    return `HTTP ${status}, but the body does not contain "${check.expectedBody}"`;
  return null;
}

export async function probe(
  http: OutboundHttpClient,
  check: Expectations,
  at: number,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const answer = await http.request(check.url, {
      method: check.method,
      timeoutMs: check.timeoutSeconds * 1000,
      maxBytes: PROBE_MAX_BYTES,
      headers: { accept: '*/*' },
    });
    const ms = elapsed();
    const error = judgeAnswer(check, answer.status, answer.body.toString('utf8'));
    return { result: { at, ok: error === null, status: answer.status, ms }, error };
  } catch (error) {
    const reason =
      error instanceof OutboundError ? error.message : `the request failed (${(error as Error).message})`;
    return { result: { at, ok: false, status: 0, ms: elapsed() }, error: reason };
  }
}
