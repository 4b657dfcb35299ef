/** Reading a tool's payload: typed field access, and the 400 when a field the tool always sends is missing. */
import { NotTheToolError } from './kind.js';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at a dotted path, or undefined. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** A non-empty string (numbers as text) at the path, or null. */
export function text(value: unknown, path: string): string | null {
  const found = at(value, path);
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return typeof found === 'string' && found.trim() !== '' ? found : null;
}

/** Like `text`, but a payload of this tool always has it: missing means it is not this tool's payload. */
export function required(value: unknown, path: string, tool: string, what: string): string {
  const found = text(value, path);
  if (found === null)
    throw new NotTheToolError(
      `this is not a ${tool} ${what}: it has no "${path}" (${tool} always sends one)`,
    );
  return found;
}

export function object(value: unknown, path: string, tool: string, what: string): Json {
  const found = at(value, path);
  if (!isObject(found))
    throw new NotTheToolError(`this is not a ${tool} ${what}: "${path}" is missing or not an object`);
  return found;
}

/** GitLab writes times as `2021-04-28 21:50:00 +0200` or `2020-11-02 12:55:12 UTC`; this makes them RFC 3339. */
export function isoTime(value: string | null): string | null {
  if (value === null) return null;
  const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? ?(UTC|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (spaced) {
    const zone = !spaced[3] || spaced[3] === 'UTC' ? 'Z' : spaced[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    return `${spaced[1]}T${spaced[2]}${zone}`;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
