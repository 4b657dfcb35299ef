/** Each rule type on crafted timelines (in commit order), in the rule's zone, across DST changes and day boundaries. */
import { describe, expect, it } from 'vitest';
import { judgeTimeline, policySummary } from './policy.js';
import { RULES } from './rules/index.js';
import type { DeploymentPolicy, JudgedEvent, RuleType } from './types.js';

const at = (iso: string, more: Partial<JudgedEvent> = {}): JudgedEvent => ({
  type: 'deployment',
  source: 'BE',
  subject: 'PRODUCTION',
  severity: null,
  time: Date.parse(iso),
  ...more,
});

function policy(ruleType: RuleType, config: unknown, more: Partial<DeploymentPolicy> = {}): DeploymentPolicy {
  const parsed = RULES[ruleType].parse(config);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.message}`);
  return {
    id: 'pol_1',
    name: 'test',
    ruleType,
    config: parsed.config as Record<string, unknown>,
    subjects: [],
    sources: [],
    types: [],
    severities: [],
    enabled: true,
    ...more,
  };
}

/** Which events of the timeline violate (their indexes). */
const violating = (p: DeploymentPolicy, timeline: JudgedEvent[]) =>
  judgeTimeline(p, timeline).flatMap((f, i) => (f ? [i] : []));

describe('BLOCKED_DAYS', () => {
  const weekend = policy('BLOCKED_DAYS', { days: ['saturday', 'SUNDAY'], timezone: 'America/New_York' });

  it('judges the day in the rule zone, not in UTC, on both sides of the March DST change', () => {
    const timeline = [
      at('2026-03-07T04:30:00Z'), // Fri 23:30 EST: Saturday in UTC, Friday in New York
      at('2026-03-07T05:00:00Z'), // Sat 00:00 EST
      at('2026-03-09T03:59:00Z'), // Sun 23:59 EDT (midnight is 04:00Z after the change)
      at('2026-03-09T04:00:00Z'), // Mon 00:00 EDT
      at('2026-03-09T04:30:00Z'), // Mon 00:30 EDT: still Sunday at EST's offset
    ];
    expect(violating(weekend, timeline)).toEqual([1, 2]);
  });

  it('says the day and zone in words', () => {
    const [f] = judgeTimeline(weekend, [at('2026-11-01T05:30:00Z')]); // Sun 01:30 EDT/EST overlap
    expect(f?.reason).toBe(
      'deployment of BE to PRODUCTION at 2026-11-01T05:30:00.000Z is on a Sunday in America/New_York, a blocked day (policy "test")',
    );
    expect(policySummary(weekend)).toBe('no deployments on Saturday or Sunday (America/New_York time)');
  });

  it('leaves out types, subjects and sources its filters exclude, and non-guarded types', () => {
    const p = policy(
      'BLOCKED_DAYS',
      { days: ['SATURDAY'], timezone: 'UTC' },
      { subjects: ['production'], types: ['deployment'] },
    );
    const sat = '2026-12-05T12:00:00Z';
    expect(
      violating(p, [
        at(sat),
        at(sat, { subject: 'STAGING' }),
        at(sat, { type: 'rollback' }),
        at(sat, { type: 'config-change' }),
        at(sat, { subject: null }),
      ]),
    ).toEqual([0]);
  });
});

describe('ALLOWED_HOURS', () => {
  const office = policy('ALLOWED_HOURS', { startHour: 9, endHour: 17, timezone: 'Europe/Berlin' });

  it('reads the hour in the zone on both sides of the spring change (CET then CEST)', () => {
    const timeline = [
      at('2026-03-27T07:30:00Z'), // Fri 08:30 CET: too early
      at('2026-03-27T08:00:00Z'), // 09:00 CET
      at('2026-03-27T15:59:00Z'), // 16:59 CET
      at('2026-03-27T16:00:00Z'), // 17:00 CET: the end hour is excluded
      at('2026-03-30T07:30:00Z'), // Mon 09:30 CEST: allowed although 07:30Z was not
      at('2026-03-30T15:30:00Z'), // 17:30 CEST
    ];
    expect(violating(office, timeline)).toEqual([0, 3, 5]);
    expect(judgeTimeline(office, [timeline[5] as JudgedEvent])[0]?.reason).toContain(
      'is at 17:30 in Europe/Berlin, outside the allowed hours 09:00-17:00',
    );
  });

  it('wraps midnight when startHour > endHour', () => {
    const night = policy('ALLOWED_HOURS', { startHour: 22, endHour: 6, timezone: 'UTC' });
    expect(
      violating(night, [
        at('2026-12-01T21:59:00Z'),
        at('2026-12-01T22:00:00Z'),
        at('2026-12-02T03:00:00Z'),
        at('2026-12-02T06:00:00Z'),
      ]),
    ).toEqual([0, 3]);
  });
});

describe('DAILY_CAP', () => {
  const cap = policy('DAILY_CAP', { maxCount: 2, timezone: 'Asia/Tokyo' });

  it('counts per calendar day in the zone (Tokyo days start at 15:00Z)', () => {
    const timeline = [
      at('2026-12-01T14:00:00Z'), // Dec 1 23:00 JST
      at('2026-12-01T14:30:00Z'), // Dec 1 23:30 JST: the 2nd
      at('2026-12-01T15:10:00Z'), // Dec 2 00:10 JST: a new day
      at('2026-12-01T16:00:00Z'), // 2nd of Dec 2
      at('2026-12-01T17:00:00Z'), // 3rd of Dec 2: past the cap
      at('2026-12-01T14:50:00Z'), // sent late: Dec 1 already has 2
    ];
    expect(violating(cap, timeline)).toEqual([4, 5]);
    expect(judgeTimeline(cap, timeline)[4]?.reason).toContain(
      'comes after 2 matching events already on 2026-12-02 (Asia/Tokyo); the cap is 2 a day',
    );
  });

  it('counts a 25-hour day whole (New York, the November change)', () => {
    const one = policy('DAILY_CAP', { maxCount: 1, timezone: 'America/New_York' });
    // Nov 1 2026 runs from 04:00Z to 05:00Z the next day.
    expect(violating(one, [at('2026-11-01T04:00:00Z'), at('2026-11-02T04:30:00Z')])).toEqual([1]);
    expect(violating(one, [at('2026-11-01T03:59:00Z'), at('2026-11-01T04:00:00Z')])).toEqual([]);
  });

  it('counts only events its filters take in', () => {
    const be = policy('DAILY_CAP', { maxCount: 1, timezone: 'UTC' }, { sources: ['be'] });
    expect(
      violating(be, [
        at('2026-12-01T10:00:00Z', { source: 'FE' }),
        at('2026-12-01T11:00:00Z'),
        at('2026-12-01T12:00:00Z'),
      ]),
    ).toEqual([2]);
  });
});

describe('COOLDOWN', () => {
  const cool = policy('COOLDOWN', { cooldownMinutes: 30 });

  it('needs the gap after the previous event of the same source and subject only', () => {
    const timeline = [
      at('2026-12-01T10:00:00Z'),
      at('2026-12-01T10:10:00Z', { subject: 'STAGING' }), // another subject
      at('2026-12-01T10:20:00Z', { source: 'FE' }), // another source
      at('2026-12-01T10:29:59Z'), // 29 minutes after 10:00
      at('2026-12-01T11:00:00Z'), // 30 min after 10:29:59 would be 10:59:59: fine
    ];
    expect(violating(cool, timeline)).toEqual([3]);
    expect(judgeTimeline(cool, timeline)[3]?.reason).toContain(
      'comes 29 minutes after the previous one of BE to PRODUCTION; the cooldown is 30 minutes',
    );
  });

  it('compares with the previous event in time, not a later one stored first', () => {
    expect(violating(cool, [at('2026-12-01T12:00:00Z'), at('2026-12-01T11:00:00Z')])).toEqual([]);
  });
});

describe('ROLLBACK_RATE', () => {
  const rate = policy('ROLLBACK_RATE', { threshold: 0.25, windowHours: 24, minDeployments: 4 });
  const d = (iso: string) => at(iso);
  const r = (iso: string) => at(iso, { type: 'rollback' });

  it('judges rollbacks over the window, itself included, once there are enough deployments', () => {
    const timeline = [
      d('2026-12-01T01:00:00Z'),
      d('2026-12-01T02:00:00Z'),
      d('2026-12-01T03:00:00Z'),
      r('2026-12-01T03:30:00Z'), // 3 deployments only: not judged
      d('2026-12-01T04:00:00Z'),
      r('2026-12-01T05:00:00Z'), // 2 / 4 = 50%
      d('2026-12-03T01:00:00Z'),
      d('2026-12-03T02:00:00Z'),
      d('2026-12-03T03:00:00Z'),
      d('2026-12-03T04:00:00Z'),
      r('2026-12-03T05:00:00Z'), // the earlier ones left the window: 1 / 4 = 25%, not over
    ];
    expect(violating(rate, timeline)).toEqual([5]);
    expect(judgeTimeline(rate, timeline)[5]?.reason).toContain(
      'makes 2 rollbacks for 4 deployments in the last 24 hours (50%), over the 25% allowed',
    );
  });
});

describe('VELOCITY', () => {
  const burst = policy('VELOCITY', { maxCount: 2, windowMinutes: 10 });

  it('flags the deployment past the maxCount-th in a sliding window', () => {
    const timeline = [
      at('2026-12-01T10:00:00Z'),
      at('2026-12-01T10:05:00Z'),
      at('2026-12-01T10:06:00Z', { type: 'rollback' }), // not a deployment
      at('2026-12-01T10:09:59Z'), // 3rd within 10 minutes
      at('2026-12-01T10:14:30Z'), // 10:05 and 10:09:59 in the window: 3rd again
      at('2026-12-01T10:20:00Z'), // only 10:14:30 is still in it
      at('2026-12-01T10:30:00Z'),
    ];
    expect(violating(burst, timeline)).toEqual([3, 4]);
  });
});

describe('configs', () => {
  it('name the field and the fix', () => {
    const problem = (t: RuleType, c: unknown) => {
      const r = RULES[t].parse(c);
      return r.ok ? null : `${r.field}: ${r.message}`;
    };
    expect(problem('BLOCKED_DAYS', { days: ['FUNDAY'], timezone: 'UTC' })).toContain(
      'config.days: "FUNDAY" is not a day',
    );
    expect(problem('BLOCKED_DAYS', { days: ['MONDAY'], timezone: 'Mars/Olympus' })).toContain(
      'config.timezone',
    );
    expect(problem('ALLOWED_HOURS', { startHour: 9, endHour: 24, timezone: 'UTC' })).toContain(
      'config.endHour: must be a whole number from 0 to 23',
    );
    expect(problem('ROLLBACK_RATE', { threshold: 2, windowHours: 1, minDeployments: 1 })).toContain(
      'config.threshold',
    );
    expect(problem('VELOCITY', { maxCount: 1, windowMinutes: 5, extra: 1 })).toContain(
      'config.extra: is not a field',
    );
    expect(problem('COOLDOWN', null)).toContain('config: must be an object');
  });
});
