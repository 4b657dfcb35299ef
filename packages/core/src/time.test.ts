import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseEventTime, parseQueryTime } from './time.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const ms = (r: ReturnType<typeof parseEventTime>) =>
  r.ok ? new Date(r.ms).toISOString() : `error: ${r.message}`;

describe('parseEventTime', () => {
  it('reads NOW in any case as the receive time', () => {
    for (const now of ['NOW', 'now', 'Now', ' nOw '])
      expect(parseEventTime(now, NOW)).toEqual({ ok: true, ms: NOW });
  });

  it('reads RFC 3339 with Z, offsets and fractions', () => {
    expect(ms(parseEventTime('2025-01-15T14:30:00Z', NOW))).toBe('2025-01-15T14:30:00.000Z');
    expect(ms(parseEventTime('2025-01-15T14:30:00+02:00', NOW))).toBe('2025-01-15T12:30:00.000Z');
    expect(ms(parseEventTime('2025-01-15T14:30:00-05:30', NOW))).toBe('2025-01-15T20:00:00.000Z');
    expect(ms(parseEventTime('2025-01-15t14:30:00.123456z', NOW))).toBe('2025-01-15T14:30:00.123Z');
  });

  it('reads RFC 2822 with numeric and named zones', () => {
    expect(ms(parseEventTime('Wed, 15 Jan 2025 14:30:00 +0200', NOW))).toBe('2025-01-15T12:30:00.000Z');
    expect(ms(parseEventTime('15 Jan 2025 14:30:00 GMT', NOW))).toBe('2025-01-15T14:30:00.000Z');
    expect(ms(parseEventTime('Wed, 15 Jan 2025 09:30:00 EST', NOW))).toBe('2025-01-15T14:30:00.000Z');
  });

  it('rejects a bare datetime saying the timezone is missing', () => {
    const r = parseEventTime('2025-01-15T14:30:00', NOW);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(/timezone is missing/);
  });

  it('reads a bare datetime in a named IANA zone, across DST', () => {
    expect(ms(parseEventTime('2025-01-15T14:30:00', NOW, 'Europe/London'))).toBe('2025-01-15T14:30:00.000Z');
    expect(ms(parseEventTime('2025-07-15T14:30:00', NOW, 'Europe/London'))).toBe('2025-07-15T13:30:00.000Z');
    expect(ms(parseEventTime('2025-07-15T14:30:00', NOW, 'America/New_York'))).toBe(
      '2025-07-15T18:30:00.000Z',
    );
    expect(ms(parseEventTime('2025-01-15T14:30:00', NOW, 'Asia/Kolkata'))).toBe('2025-01-15T09:00:00.000Z');
  });

  it('rejects impossible dates and unknown formats with a message', () => {
    expect(ms(parseEventTime('2025-02-30T10:00:00Z', NOW))).toMatch(/not a real date/);
    expect(ms(parseEventTime('2025-01-15T25:00:00Z', NOW))).toMatch(/not a real date/);
    expect(ms(parseEventTime('Wed, 15 Jan 2025 14:30:00 +9999', NOW))).toMatch(/not a real date/);
    expect(ms(parseEventTime('yesterday', NOW))).toMatch(/RFC 3339/);
    expect(ms(parseEventTime('2025-01-15T14:30:00', NOW, 'Mars/Olympus'))).toMatch(/not an IANA time zone/);
  });
});

describe('parseQueryTime', () => {
  it('reads relative offsets', () => {
    expect(parseQueryTime('-30m', NOW)).toEqual({ ok: true, ms: NOW - 30 * 60_000 });
    expect(parseQueryTime('-2h', NOW)).toEqual({ ok: true, ms: NOW - 2 * 3_600_000 });
    expect(parseQueryTime('-7d', NOW)).toEqual({ ok: true, ms: NOW - 7 * 86_400_000 });
  });

  it('reads bare datetimes in the given timezone and dates as UTC midnight', () => {
    expect(parseQueryTime('2025-07-15T14:30:00', NOW, 'Europe/Paris')).toEqual({
      ok: true,
      ms: Date.UTC(2025, 6, 15, 12, 30),
    });
    expect(parseQueryTime('2025-07-15', NOW)).toEqual({ ok: true, ms: Date.UTC(2025, 6, 15) });
  });

  it('explains what it reads when it cannot', () => {
    const r = parseQueryTime('last tuesday', NOW);
    expect(r.ok ? '' : r.message).toMatch(/-2h/);
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
