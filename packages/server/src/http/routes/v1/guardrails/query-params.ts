/** Query strings of the guardrail reads: known names only, each given once. */
import { badRequest } from '../../../envelope.js';

export function readParams(query: unknown, allowed: string[]): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    (query ?? {}) as Record<string, string | string[] | undefined>,
  )) {
    if (!allowed.includes(name)) throw badRequest(name, `is not a parameter here; use ${allowed.join(', ')}`);
    if (Array.isArray(value)) throw badRequest(name, 'give it once');
    if (value !== undefined && value !== '') input[name] = value;
  }
  return input;
}
