/**
 * Paging for the list tools: each takes `limit` and `cursor` and answers `nextCursor` (null on
 * the last page). A cursor is opaque to the model: base64url of the tool's name and its position
 * (an offset, or the time and sequence of the last event shown, so a page costs the same at
 * any depth). It carries no filters: the model repeats its other arguments, as suggested_next does.
 */
import { z } from 'zod';
import { ToolInputError } from './tool.js';

export const cursorParam = z
  .string()
  .max(200)
  .describe('Where to go on: the nextCursor of the previous answer, with the same other arguments.');

export const nextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as cursor (with the same other arguments) for the next page; null on the last page.');

export function limitParam(max: number, fallback: number, what: string) {
  return z.number().int().min(1).max(max).describe(`How many ${what}, 1-${max}; default ${fallback}.`);
}

type Position = Record<string, number>;

export function encodeCursor(tool: string, position: Position): string {
  return Buffer.from(JSON.stringify({ tool, ...position })).toString('base64url');
}

/** The position in a cursor this tool made, or a ToolInputError saying how to page. */
export function decodeCursor<K extends string>(
  tool: string,
  cursor: string,
  keys: readonly K[],
): Record<K, number> {
  let decoded: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') decoded = parsed as Record<string, unknown>;
  } catch {
    decoded = null;
  }
  const valid = decoded?.tool === tool && keys.every((k) => Number.isSafeInteger(decoded?.[k]));
  if (!decoded || !valid)
    throw new ToolInputError(
      `cursor: "${cursor.slice(0, 40)}" is not a cursor of ${tool}; pass the nextCursor of its previous answer unchanged, or leave cursor out for the first page`,
    );
  return Object.fromEntries(keys.map((k) => [k, decoded?.[k] as number])) as Record<K, number>;
}

/** The offset a cursor of an offset-paged tool holds (0 without a cursor). */
export const offsetOf = (tool: string, cursor: string | undefined): number =>
  cursor === undefined ? 0 : Math.max(0, decodeCursor(tool, cursor, ['offset']).offset);
