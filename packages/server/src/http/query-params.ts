/** Reading a GET route's query string: known parameters only, each at most once (a 400 naming the stray or repeated one). */
import { badRequest } from './envelope.js';

export function readParams(query: unknown, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    (query ?? {}) as Record<string, string | string[] | undefined>,
  )) {
    if (!names.includes(name))
      throw badRequest(name.slice(0, 100), `is not a parameter here; use ${names.join(', ')}`);
    if (Array.isArray(value)) throw badRequest(name, 'give it once');
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
