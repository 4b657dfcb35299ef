import { describe, expect, it } from 'vitest';
import { outsideWindow, parseBusinessRules } from './business-rules.js';
import { CONTEXT_TEMPLATE } from './context-template.js';

describe('parseBusinessRules', () => {
  it("reads the getting-started example's three rules, keeping each sentence", () => {
    const rules = parseBusinessRules(CONTEXT_TEMPLATE);
    expect(rules.coupled).toEqual([
      {
        sources: ['BE', 'DB'],
        sentence: expect.stringContaining('BE and DB deployments are tightly coupled'),
      },
    ]);
    expect(rules.stagingFirst?.sentence).toBe('We deploy to staging before production.');
    expect(rules.deployWindow).toMatchObject({
      startMinute: 9 * 60,
      endMinute: 18 * 60,
      weekdaysOnly: true,
      timeZone: 'Europe/Paris',
      label: '9:00–18:00 CET, weekdays',
    });
  });

  it('reads other phrasings', () => {
    const rules = parseBusinessRules(
      'FE, BE & CACHE are coupled.\nStaging before prod, always.\nWe release between 8am-5pm America/New_York, Mon-Fri.',
    );
    expect(rules.coupled[0]?.sources).toEqual(['FE', 'BE', 'CACHE']);
    expect(rules.stagingFirst).not.toBeNull();
    expect(rules.deployWindow).toMatchObject({
      startMinute: 480,
      endMinute: 1020,
      timeZone: 'America/New_York',
      weekdaysOnly: true,
    });
  });

  it('finds nothing in a context without rules, or none at all', () => {
    expect(parseBusinessRules('We sell shoes.')).toEqual({
      coupled: [],
      stagingFirst: null,
      deployWindow: null,
    });
    expect(parseBusinessRules(null).deployWindow).toBeNull();
  });
});

describe('outsideWindow', () => {
  const window = {
    startMinute: 540,
    endMinute: 1080,
    weekdaysOnly: true,
    timeZone: 'Europe/Paris',
    label: '',
  };

  it('uses the local time of the zone, summer time included', () => {
    expect(outsideWindow(window, Date.parse('2026-11-20T10:14:00Z'))).toEqual({
      outside: false,
      local: 'Fri 11:14',
    });
    expect(outsideWindow(window, Date.parse('2026-07-10T07:30:00Z'))).toEqual({
      outside: false,
      local: 'Fri 09:30',
    });
    expect(outsideWindow(window, Date.parse('2026-11-20T17:00:00Z'))).toEqual({
      outside: true,
      local: 'Fri 18:00',
    });
  });

  it('flags weekends when the window is for weekdays', () => {
    expect(outsideWindow(window, Date.parse('2026-11-14T10:00:00Z'))).toEqual({
      outside: true,
      local: 'Sat 11:00',
    });
    expect(
      outsideWindow({ ...window, weekdaysOnly: false }, Date.parse('2026-11-14T10:00:00Z')).outside,
    ).toBe(false);
  });
});
