import { describe, expect, it } from 'vitest';
import { isDeployType, rungOf } from './environments.js';

describe('rungOf', () => {
  it('finds the level token and the ladder it belongs to', () => {
    expect(rungOf('PRODUCTION')).toEqual({ level: 4, name: 'PRODUCTION', group: '*' });
    expect(rungOf('BRAND-A-STAGING')).toEqual({ level: 3, name: 'STAGING', group: 'BRAND-A-*' });
    expect(rungOf('brand-a-prod')?.group).toBe('brand-a-*');
    expect(rungOf('EU_QA')).toEqual({ level: 2, name: 'TEST', group: 'EU_*' });
    expect(rungOf('BRAND-B-PRODUCTION-LIVE')?.group).toBe('BRAND-B-*-LIVE');
  });

  it('answers null for subjects outside any ladder', () => {
    expect(rungOf('CHECKOUT')).toBeNull();
  });
});

describe('isDeployType', () => {
  it('counts deployments, releases and rollbacks, not deployment statuses', () => {
    expect(['deployment', 'deploy', 'release', 'rollback', 'canary-deploy'].map(isDeployType)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['deployment-status', 'incident', 'db-migration'].map(isDeployType)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
