import { describe, expect, it } from 'vitest';
import { promotionPath, type VersionEvent } from './promotion.js';

const at = (subject: string, time: string, type = 'deployment'): VersionEvent => ({
  id: `${subject}-${time}`,
  source: 'BE',
  subject,
  type,
  time,
});
const KNOWN = ['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'EU-STAGING', 'EU-PRODUCTION'];

describe('promotionPath', () => {
  it('lists each subject once, when first reached, in order', () => {
    const path = promotionPath(
      [at('STAGING', '1'), at('STAGING', '2'), at('PRODUCTION', '3'), at('PRODUCTION', '4', 'incident')],
      KNOWN,
    );
    expect(path.steps.map((s) => [s.subject, s.firstReached, s.rung])).toEqual([
      ['STAGING', '1', 'STAGING'],
      ['PRODUCTION', '3', 'PRODUCTION'],
    ]);
    expect(path.skipped).toEqual([]);
  });

  it('flags staging skipped on the way to production, per ladder', () => {
    const path = promotionPath(
      [at('DEVELOPMENT', '1'), at('PRODUCTION', '2'), at('EU-STAGING', '3'), at('EU-PRODUCTION', '4')],
      KNOWN,
    );
    expect(path.skipped).toEqual([
      {
        subject: 'PRODUCTION',
        skipped: ['STAGING'],
        summary: 'reached PRODUCTION at 2 without first reaching STAGING',
      },
    ]);
  });

  it('flags a version that went straight to production, and staging reached too late', () => {
    expect(promotionPath([at('PRODUCTION', '1')], KNOWN).skipped[0]?.skipped).toEqual(['STAGING']);
    expect(promotionPath([at('PRODUCTION', '1'), at('STAGING', '2')], KNOWN).skipped[0]?.subject).toBe(
      'PRODUCTION',
    );
  });

  it('does not count rungs the organization does not have', () => {
    expect(promotionPath([at('PRODUCTION', '1')], ['PRODUCTION']).skipped).toEqual([]);
  });
});
