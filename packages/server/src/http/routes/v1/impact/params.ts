/** Query parameters shared by the impact routes. */
import { parseQueryTime } from '@opstrails/core';
import { DEFAULT_WINDOW, WINDOW_NAMES } from '../../../../domain/impact/windows.js';
import { badRequest } from '../../../envelope.js';

export function readWindow(value: string | undefined): string {
  if (value === undefined) return DEFAULT_WINDOW;
  if (!WINDOW_NAMES.includes(value))
    throw badRequest(
      'window',
      `must be one of ${WINDOW_NAMES.join(', ')}, not ${JSON.stringify(value.slice(0, 50))}`,
    );
  return value;
}

export function readTime(field: string, value: string, now: number): number {
  const parsed = parseQueryTime(value, now);
  if (!parsed.ok) throw badRequest(field, parsed.message);
  return parsed.ms;
}
