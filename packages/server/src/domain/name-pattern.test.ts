import { describe, expect, it } from 'vitest';
import { closestNames, isPattern, nameMatcher } from './name-pattern.js';

const SUBJECTS = [
  'PRODUCTION',
  'STAGING',
  'EU-PRODUCTION',
  'EU-STAGING',
  'BRAND-A-PRODUCTION',
  'BRAND-A-STAGING',
  'BRAND-A',
  'BRAND-AB-PRODUCTION',
  'PREPRODUCTION',
];

const matching = (pattern: string) => SUBJECTS.filter(nameMatcher(pattern));

describe('name patterns', () => {
  it('matches a plain name in any case, whole', () => {
    expect(isPattern('production')).toBe(false);
    expect(matching('production')).toEqual(['PRODUCTION']);
    expect(matching('prod')).toEqual([]);
  });

  it('covers a rung of every ladder, including the bare name', () => {
    expect(matching('*-PRODUCTION')).toEqual([
      'PRODUCTION',
      'EU-PRODUCTION',
      'BRAND-A-PRODUCTION',
      'BRAND-AB-PRODUCTION',
    ]);
    expect(matching('*-staging')).toEqual(['STAGING', 'EU-STAGING', 'BRAND-A-STAGING']);
  });

  it('covers a whole ladder, and only that one', () => {
    expect(matching('BRAND-A-*')).toEqual(['BRAND-A-PRODUCTION', 'BRAND-A-STAGING', 'BRAND-A']);
    expect(matching('brand-*-production')).toEqual(['BRAND-A-PRODUCTION', 'BRAND-AB-PRODUCTION']);
  });

  it('takes regular-expression characters literally', () => {
    expect(nameMatcher('a.b*')('a.bc')).toBe(true);
    expect(nameMatcher('a.b*')('axbc')).toBe(false);
    expect(nameMatcher('(x)*')('(x)y')).toBe(true);
  });
});

describe('closest names', () => {
  it('puts the same rung first, then names containing the asked one, then names a few edits away', () => {
    // "prod" names the production rung: every production environment before PREPRODUCTION.
    expect(closestNames('prod', SUBJECTS)).toEqual([
      'PRODUCTION',
      'EU-PRODUCTION',
      'BRAND-A-PRODUCTION',
      'BRAND-AB-PRODUCTION',
      'PREPRODUCTION',
    ]);
    expect(closestNames('preprod', SUBJECTS)[0]).toBe('PREPRODUCTION');
    expect(closestNames('STAGNG', SUBJECTS)).toEqual(['STAGING']);
    expect(closestNames('eu-prd', SUBJECTS)[0]).toBe('EU-PRODUCTION');
    expect(closestNames('brand-a-stg', SUBJECTS)[0]).toBe('BRAND-A-STAGING');
    // A pattern with a rung alias: the production rung of every BRAND-* ladder.
    expect(closestNames('brand-*-prd', SUBJECTS).slice(0, 2)).toEqual([
      'BRAND-A-PRODUCTION',
      'BRAND-AB-PRODUCTION',
    ]);
  });

  it('falls back to the names there are when none is close', () => {
    expect(closestNames('zzzzzzzzzzzzzz', ['A', 'B'])).toEqual(['A', 'B']);
  });
});
