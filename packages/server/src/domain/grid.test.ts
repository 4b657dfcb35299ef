import { describe, expect, it } from 'vitest';
import {
  buildGrid,
  compareVersions,
  driftKind,
  driftMarks,
  type GridCellInput,
  namingVariants,
  subjectOrder,
} from './grid.js';

const cell = (source: string, subject: string, latestVersion: string | null): GridCellInput => ({
  source,
  subject,
  type: 'deployment',
  time: '2026-11-14T00:00:00.000Z',
  severity: null,
  version: latestVersion,
  eventId: `${source}-${subject}`,
  latestVersion,
  latestVersionTime: latestVersion ? '2026-11-14T00:00:00.000Z' : null,
});

describe('buildGrid', () => {
  it('orders subjects along their ladders and finds drift within a ladder', () => {
    const grid = buildGrid([
      cell('BE', 'PRODUCTION', '2.4.0'),
      cell('BE', 'STAGING', '2.5.0'),
      cell('BE', 'EU-PRODUCTION', '2.4.0'),
      cell('FE', 'PRODUCTION', '3.0.0'),
      cell('FE', 'STAGING', '3.0.0'),
      cell('CACHE', 'PRODUCTION', null),
    ]);
    expect(grid.sources).toEqual(['BE', 'CACHE', 'FE']);
    expect(grid.subjects).toEqual(['STAGING', 'PRODUCTION', 'EU-PRODUCTION']);
    expect(grid.drift).toEqual([
      {
        source: 'BE',
        ladder: '*',
        versions: [
          { subject: 'STAGING', version: '2.5.0' },
          { subject: 'PRODUCTION', version: '2.4.0' },
        ],
        kind: 'ahead',
        marks: [{ subject: 'STAGING', kind: 'ahead' }],
        summary: 'BE: STAGING runs 2.5.0, PRODUCTION runs 2.4.0 (waiting for promotion)',
      },
    ]);
    expect(grid.naming).toEqual([]);
  });

  it('tells the three kinds of drift apart and lists the worst first', () => {
    const grid = buildGrid([
      cell('AHEAD', 'STAGING', 'v2.10.0'),
      cell('AHEAD', 'PRODUCTION', 'v2.9.3'),
      cell('HOTFIX', 'STAGING', '1.4.0'),
      cell('HOTFIX', 'PRODUCTION', '1.4.1'),
      cell('SHA', 'STAGING', '9f3c2e1'),
      cell('SHA', 'PRODUCTION', '77ab0d4'),
      cell('SAME', 'STAGING', '3.0.0'),
      cell('SAME', 'PRODUCTION', '3.0.0'),
    ]);
    expect(grid.drift.map((d) => [d.source, d.kind])).toEqual([
      ['HOTFIX', 'unpromoted'],
      ['SHA', 'diverged'],
      ['AHEAD', 'ahead'],
    ]);
    expect(grid.drift[0]?.summary).toBe(
      'HOTFIX: STAGING runs 1.4.0, PRODUCTION runs 1.4.1 (PRODUCTION runs a version the rung below never had)',
    );
  });

  it('takes the worst pair of a longer ladder', () => {
    // Development ahead of staging is normal; production past staging is not.
    const ladder = (...versions: string[]) =>
      versions.map((version, i) => ({ subject: ['DEV', 'STAGING', 'PRODUCTION'][i] as string, version }));
    expect(driftKind(ladder('5.0.0', '4.0.0', '4.1.0'))).toBe('unpromoted');
    expect(driftMarks(ladder('5.0.0', '4.0.0', '4.1.0'))).toEqual([
      { subject: 'DEV', kind: 'ahead' },
      { subject: 'PRODUCTION', kind: 'unpromoted' },
    ]);
    expect(driftKind(ladder('5.0.0', '4.0.0', '4.0.0'))).toBe('ahead');
    expect(driftMarks(ladder('abc', '4.0.0'))).toEqual([
      { subject: 'DEV', kind: 'diverged' },
      { subject: 'STAGING', kind: 'diverged' },
    ]);
    expect(driftKind(ladder('a', 'a'))).toBeNull();
  });

  it('orders versions numerically, never as text', () => {
    expect(compareVersions('v2.10.0', '2.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(compareVersions('1.2.0', '1.10')).toBeLessThan(0);
    expect(compareVersions('2.5.0-rc1', '2.5.0')).toBeNull();
    expect(compareVersions('main-abc', '1.0')).toBeNull();
  });

  it('orders columns along each ladder, grouped by prefix, names outside a ladder last', () => {
    const subjects = [
      'zeta',
      'BRAND-B-PRODUCTION',
      'BRAND-A-PRODUCTION',
      'BRAND-A-DEV',
      'BRAND-B-STAGING',
      'BRAND-A-STAGING',
    ].sort(subjectOrder);
    expect(subjects).toEqual([
      'BRAND-A-DEV',
      'BRAND-A-STAGING',
      'BRAND-A-PRODUCTION',
      'BRAND-B-STAGING',
      'BRAND-B-PRODUCTION',
      'zeta',
    ]);
  });

  it('finds spellings of one name that differ in case or spaces, with their cell counts', () => {
    expect(
      namingVariants([
        { source: 'BE', subject: 'PRODUCTION' },
        { source: 'BE ', subject: 'production' },
        { source: 'FE', subject: 'PRODUCTION' },
        { source: 'FE', subject: 'STAGING' },
      ]),
    ).toEqual([
      {
        field: 'source',
        name: 'be',
        spellings: [
          { value: 'BE', count: 1 },
          { value: 'BE ', count: 1 },
        ],
      },
      {
        field: 'subject',
        name: 'production',
        spellings: [
          { value: 'PRODUCTION', count: 2 },
          { value: 'production', count: 1 },
        ],
      },
    ]);
  });
});
