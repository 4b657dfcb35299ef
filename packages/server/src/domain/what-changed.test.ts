import type { StoredEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { parseBusinessRules } from './business-rules.js';
import { rankChanges } from './what-changed.js';

const event = (id: string, fields: Partial<StoredEvent>): StoredEvent => ({
  id,
  specversion: '1.0',
  type: 'deployment',
  source: 'BE',
  time: '2026-11-20T10:00:00.000Z',
  subject: 'PRODUCTION',
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  ...fields,
});

const HOUR = 3_600_000;
const anchor = {
  time: Date.parse('2026-11-20T11:00:00Z'),
  subject: 'PRODUCTION',
  source: 'BE',
  eventId: 'inc',
};
const none = () => 'unknown' as const;

describe('rankChanges', () => {
  it('puts the same subject and source first, closeness breaking the rest', () => {
    const ranked = rankChanges(
      anchor,
      [
        event('other-env', { subject: 'STAGING', source: 'FE', time: '2026-11-20T10:59:00.000Z' }),
        event('same', { time: '2026-11-20T10:10:00.000Z' }),
        event('inc', { type: 'incident' }),
      ],
      2 * HOUR,
      parseBusinessRules(null),
      none,
    );
    expect(ranked.map((r) => r.event.id)).toEqual(['same', 'other-env']);
    expect(ranked[0]?.reasons).toEqual([
      'same subject (PRODUCTION) as the incident',
      'same source (BE) as the incident',
      'a change (deployment)',
      '50 min before (+15 for closeness)',
    ]);
  });

  it('counts the same subject and source in any case, as the filters match', () => {
    const ranked = rankChanges(
      { ...anchor, subject: 'production', source: 'be' },
      [event('same', { time: '2026-11-20T10:10:00.000Z' })],
      2 * HOUR,
      parseBusinessRules(null),
      none,
    );
    expect(ranked[0]?.reasons.slice(0, 2)).toEqual([
      'same subject (PRODUCTION) as the incident',
      'same source (BE) as the incident',
    ]);
  });

  it('applies the business context: coupling, deploy window, staging first', () => {
    const rules = parseBusinessRules(
      'BE and DB are tightly coupled. We deploy to staging before production. Deploys happen 9:00-18:00 UTC on weekdays.',
    );
    const db = event('db', { source: 'DB', type: 'db-migration', time: '2026-11-20T10:30:00.000Z' });
    const night = event('night', { time: '2026-11-20T05:00:00.000Z', version: '2.0' });
    const ranked = rankChanges(anchor, [db, night], 8 * HOUR, rules, (e) =>
      e.id === 'night' ? 'skipped' : 'staged',
    );
    const reasons = Object.fromEntries(ranked.map((r) => [r.event.id, r.reasons.join(' | ')]));
    expect(reasons.db).toContain(
      'coupled with BE per the business context: "BE and DB are tightly coupled."',
    );
    expect(reasons.night).toContain('outside the deploy window (9:00–18:00 UTC, weekdays)');
    expect(reasons.night).toContain(
      'no staging deploy of that version from BE before it (the business context says',
    );
    expect(ranked.map((r) => r.event.id)).toEqual(['night', 'db']);
  });

  it('is deterministic: equal scores go to the more recent event', () => {
    const a = event('a', { time: '2026-11-20T10:00:00.000Z', subject: 'X', source: 'Y', type: 'note' });
    const b = event('b', { time: '2026-11-20T10:00:00.000Z', subject: 'X', source: 'Y', type: 'note' });
    const first = rankChanges(anchor, [a, b], HOUR, parseBusinessRules(null), none).map((r) => r.event.id);
    const second = rankChanges(anchor, [b, a], HOUR, parseBusinessRules(null), none).map((r) => r.event.id);
    expect(first).toEqual(second);
  });

  it('ranks an event that broke a guardrail higher and says which', () => {
    const a = event('a', { source: 'FE', time: '2026-11-20T10:50:00.000Z' });
    const b = event('b', { source: 'FE', time: '2026-11-20T10:40:00.000Z' });
    const broke = (e: StoredEvent) =>
      e.id === 'b' ? ['Holiday Freeze (FREEZE): deployment of FE falls in the freeze'] : [];
    const ranked = rankChanges(anchor, [a, b], HOUR, parseBusinessRules(null), none, broke);
    expect(ranked.map((r) => r.event.id)).toEqual(['b', 'a']);
    expect(ranked[0]?.reasons.at(-1)).toBe(
      'it broke a guardrail: Holiday Freeze (FREEZE): deployment of FE falls in the freeze',
    );
    expect(rankChanges(anchor, [a, b], HOUR, parseBusinessRules(null), none).map((r) => r.event.id)).toEqual([
      'a',
      'b',
    ]);
  });
  it('ranks an event whose impact was judged regressed higher and says so', () => {
    const rules = parseBusinessRules(null);
    const candidates = [
      event('later', { time: '2026-11-20T10:40:00.000Z' }),
      event('bad', { time: '2026-11-20T10:30:00.000Z' }),
    ];
    const plain = rankChanges(anchor, candidates, 2 * HOUR, rules, none);
    expect(plain.map((r) => r.event.id)).toEqual(['later', 'bad']);
    const judged = rankChanges(
      anchor,
      candidates,
      2 * HOUR,
      rules,
      none,
      () => [],
      (e) => e.id === 'bad',
    );
    expect(judged.map((r) => r.event.id)).toEqual(['bad', 'later']);
    expect(judged[0]?.score).toBe((plain[1]?.score ?? 0) + 25);
    expect(judged[0]?.reasons).toContain(
      'its impact was judged regressed: metrics of its subject got worse after it',
    );
  });
});
