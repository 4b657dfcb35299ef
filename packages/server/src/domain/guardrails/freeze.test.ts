/** Freeze windows: one-off and recurring (RRULE in a zone, across DST), overlapping, filters, states. */
import { describe, expect, it } from 'vitest';
import { freezeState, judgeFreeze } from './freeze.js';
import { occurrencesBetween, parseDuration, rruleProblem } from './recurrence.js';
import type { FreezeWindow, JudgedEvent, Recurrence } from './types.js';

const t = (iso: string) => Date.parse(iso);
const deploy = (iso: string, more: Partial<JudgedEvent> = {}): JudgedEvent => ({
  type: 'deployment',
  source: 'BE',
  subject: 'PRODUCTION',
  severity: null,
  time: t(iso),
  ...more,
});

function freeze(more: Partial<FreezeWindow>): FreezeWindow {
  return {
    id: 'frz_1',
    name: 'Holiday Freeze',
    startsAt: t('2026-12-20T00:00:00Z'),
    endsAt: t('2027-01-02T00:00:00Z'),
    recurrence: null,
    subjects: [],
    sources: [],
    types: [],
    severities: [],
    enabled: true,
    ...more,
  };
}

const frozen = (w: FreezeWindow, iso: string, more: Partial<JudgedEvent> = {}) =>
  judgeFreeze(w, deploy(iso, more)) !== null;

describe('a one-off window', () => {
  const holiday = freeze({});

  it('covers [startsAt, endsAt) and says so in words', () => {
    expect(frozen(holiday, '2026-12-19T23:59:59Z')).toBe(false);
    expect(frozen(holiday, '2026-12-20T00:00:00Z')).toBe(true);
    expect(frozen(holiday, '2027-01-01T23:59:59Z')).toBe(true);
    expect(frozen(holiday, '2027-01-02T00:00:00Z')).toBe(false);
    expect(judgeFreeze(holiday, deploy('2026-12-25T14:30:00Z'))?.reason).toBe(
      'deployment of BE to PRODUCTION at 2026-12-25T14:30:00.000Z falls in the change freeze "Holiday Freeze" (2026-12-20T00:00:00.000Z to 2027-01-02T00:00:00.000Z)',
    );
  });

  it('applies its filters, severities included, in any case; a disabled window judges nothing', () => {
    const w = freeze({ subjects: ['production'], severities: ['MAJOR', 'CRITICAL'] });
    expect(frozen(w, '2026-12-25T10:00:00Z', { severity: 'MAJOR' })).toBe(true);
    expect(frozen(w, '2026-12-25T10:00:00Z', { severity: 'LOW' })).toBe(false);
    expect(frozen(w, '2026-12-25T10:00:00Z', { severity: null })).toBe(false);
    expect(frozen(w, '2026-12-25T10:00:00Z', { severity: 'MAJOR', subject: 'STAGING' })).toBe(false);
    expect(frozen(w, '2026-12-25T10:00:00Z', { severity: 'MAJOR', type: 'config-change' })).toBe(false);
    expect(frozen(freeze({ enabled: false }), '2026-12-25T10:00:00Z')).toBe(false);
  });

  it('has a state from time, violated while its violation stands', () => {
    expect(freezeState(holiday, t('2026-12-01T00:00:00Z'), null)).toBe('scheduled');
    expect(freezeState(holiday, t('2026-12-24T00:00:00Z'), null)).toBe('active');
    expect(freezeState(holiday, t('2027-01-03T00:00:00Z'), null)).toBe('completed');
    expect(freezeState(holiday, t('2026-12-24T00:00:00Z'), holiday.startsAt)).toBe('violated');
  });
});

describe('overlapping windows', () => {
  it('each judges the event on its own', () => {
    const a = freeze({ id: 'a', name: 'A', endsAt: t('2026-12-27T00:00:00Z') });
    const b = freeze({ id: 'b', name: 'B', startsAt: t('2026-12-24T00:00:00Z') });
    const e = deploy('2026-12-25T00:00:00Z');
    expect([a, b].map((w) => judgeFreeze(w, e)?.guardrailName)).toEqual(['A', 'B']);
    expect([a, b].map((w) => judgeFreeze(w, deploy('2026-12-28T00:00:00Z'))?.guardrailName)).toEqual([
      undefined,
      'B',
    ]);
  });
});

describe('a recurring window', () => {
  // Every Friday 16:00 in Berlin for 64 hours (until Monday 08:00 when no DST change intervenes).
  const weekends = freeze({
    name: 'Weekend',
    startsAt: t('2026-10-16T14:00:00Z'), // Fri Oct 16 16:00 CEST
    endsAt: t('2026-12-01T00:00:00Z'),
    recurrence: {
      rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0',
      duration: 'PT64H',
      timezone: 'Europe/Berlin',
    },
  });

  it('starts every occurrence at 16:00 Berlin time, before and after the October change', () => {
    expect(frozen(weekends, '2026-10-23T13:59:00Z')).toBe(false); // 15:59 CEST
    expect(frozen(weekends, '2026-10-23T14:00:00Z')).toBe(true); // 16:00 CEST
    // 64 exact hours later across the change: Oct 26 06:00Z = 07:00 CET.
    expect(frozen(weekends, '2026-10-26T05:59:00Z')).toBe(true);
    expect(frozen(weekends, '2026-10-26T06:00:00Z')).toBe(false);
    expect(frozen(weekends, '2026-10-30T14:30:00Z')).toBe(false); // 15:30 CET
    expect(frozen(weekends, '2026-10-30T15:00:00Z')).toBe(true); // 16:00 CET
    expect(judgeFreeze(weekends, deploy('2026-10-30T15:00:00Z'))?.occurrenceStart).toBe(
      t('2026-10-30T15:00:00Z'),
    );
  });

  it('is bounded by startsAt and endsAt', () => {
    expect(frozen(weekends, '2026-10-10T15:00:00Z')).toBe(false); // a Friday before the series
    expect(frozen(weekends, '2026-12-04T16:00:00Z')).toBe(false); // after endsAt
    const starts = occurrencesBetween(
      weekends.startsAt,
      weekends.endsAt,
      weekends.recurrence as Recurrence,
      0,
      Infinity,
    ).map((o) => new Date(o.start).toISOString());
    expect(starts).toEqual([
      '2026-10-16T14:00:00.000Z',
      '2026-10-23T14:00:00.000Z',
      '2026-10-30T15:00:00.000Z',
      '2026-11-06T15:00:00.000Z',
      '2026-11-13T15:00:00.000Z',
      '2026-11-20T15:00:00.000Z',
      '2026-11-27T15:00:00.000Z',
    ]);
  });

  it('reads a day duration as calendar days in the zone (23 hours across the spring change)', () => {
    const daily = freeze({
      startsAt: t('2026-03-28T23:00:00Z'), // Sun Mar 29 00:00 CET
      endsAt: t('2026-04-05T00:00:00Z'),
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=0', duration: 'P1D', timezone: 'Europe/Berlin' },
    });
    expect(frozen(daily, '2026-03-29T21:59:00Z')).toBe(true); // 23:59 CEST
    expect(frozen(daily, '2026-03-29T22:00:00Z')).toBe(false); // Monday 00:00 CEST
  });

  it('lets occurrences overlap each other when they last longer than the interval', () => {
    const long = freeze({
      startsAt: t('2026-12-01T00:00:00Z'),
      endsAt: t('2026-12-10T00:00:00Z'),
      recurrence: { rrule: 'FREQ=DAILY;BYHOUR=0', duration: 'PT36H', timezone: 'UTC' },
    });
    expect(judgeFreeze(long, deploy('2026-12-02T06:00:00Z'))?.occurrenceStart).toBe(
      t('2026-12-02T00:00:00Z'),
    );
    expect(frozen(long, '2026-12-10T11:59:00Z')).toBe(true); // the last occurrence (Dec 9) runs 36 h
    expect(frozen(long, '2026-12-10T12:00:00Z')).toBe(false);
  });

  it('has a state per occurrence', () => {
    expect(freezeState(weekends, t('2026-10-21T00:00:00Z'), null)).toBe('scheduled');
    expect(freezeState(weekends, t('2026-10-24T00:00:00Z'), null)).toBe('active');
    const occurrence = t('2026-10-23T14:00:00Z');
    expect(freezeState(weekends, t('2026-10-24T00:00:00Z'), occurrence)).toBe('violated');
    expect(freezeState(weekends, t('2026-10-28T00:00:00Z'), occurrence)).toBe('violated');
    // The next occurrence began: its own state again.
    expect(freezeState(weekends, t('2026-10-31T00:00:00Z'), occurrence)).toBe('active');
    expect(freezeState(weekends, t('2026-12-05T00:00:00Z'), null)).toBe('completed');
  });
});

describe('recurrence input', () => {
  it('reads ISO 8601 durations and refuses what is not one', () => {
    expect(parseDuration('PT64H')).toEqual({ days: 0, ms: 64 * 3_600_000 });
    expect(parseDuration('P1W2DT30M')).toEqual({ days: 9, ms: 1_800_000 });
    expect(parseDuration('P')).toBeNull();
    expect(parseDuration('PT')).toBeNull();
    expect(parseDuration('64h')).toBeNull();
    expect(parseDuration('PT0H')).toBeNull();
  });

  it('says what is wrong with an RRULE', () => {
    expect(rruleProblem('FREQ=WEEKLY;BYDAY=FR;BYHOUR=16')).toBeNull();
    expect(rruleProblem('RRULE:FREQ=DAILY')).toBeNull();
    expect(rruleProblem('BYDAY=FR')).toContain('needs FREQ');
    expect(rruleProblem('FREQ=MINUTELY')).toBe('FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY');
    expect(rruleProblem('FREQ=DAILY;INTERVAL=x')).toContain('INTERVAL=X, which is not a valid value');
    expect(rruleProblem('FREQ=DAILY;BYHOUR=25')).toContain('BYHOUR=25');
    expect(rruleProblem('FREQ=DAILY;BYDAY=XX')).toContain('BYDAY=XX');
    expect(rruleProblem('FREQ=DAILY;FOO=1')).toContain('"FOO", which is not an RFC 5545 RRULE part');
    expect(rruleProblem('DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY')).toContain('DTSTART');
    expect(rruleProblem('FREQ=SOMETIMES')).toContain('FREQ must be');
  });
});
