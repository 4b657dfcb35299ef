/** The `timezone` of a rule's config: an IANA zone name. */
import { isTimeZone } from '../zone.js';

export function zoneField(
  config: Record<string, unknown>,
): { ok: true; value: string } | { ok: false; field: string; message: string } {
  const v = config.timezone;
  if (v === undefined)
    return {
      ok: false,
      field: 'config.timezone',
      message: 'is required: an IANA zone such as "Europe/Berlin" or "UTC"',
    };
  if (typeof v !== 'string' || !isTimeZone(v))
    return {
      ok: false,
      field: 'config.timezone',
      message: `must be an IANA zone such as "Europe/Berlin" or "UTC", not ${JSON.stringify(v)}`,
    };
  return { ok: true, value: v };
}
