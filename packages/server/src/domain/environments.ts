/**
 * The environment ladder read from subject names: LOCAL < DEVELOPMENT < TEST < STAGING < PRODUCTION.
 * Subjects are free-form, so the ladder is found by one token of the name (split on - _ . space);
 * the rest of the name is the ladder's group, so BRAND-A-STAGING and BRAND-A-PRODUCTION are two
 * steps of the ladder "BRAND-A-*" while BRAND-B-PRODUCTION belongs to another.
 */

export interface Rung {
  /** 0 = LOCAL … 4 = PRODUCTION. */
  level: number;
  /** The level's canonical name. */
  name: string;
  /** The subject with its level token replaced by `*`: subjects of one ladder share it. */
  group: string;
}

export const LEVEL_NAMES = ['LOCAL', 'DEVELOPMENT', 'TEST', 'STAGING', 'PRODUCTION'] as const;
export const PRODUCTION_LEVEL = 4;
export const STAGING_LEVEL = 3;

const TOKEN_LEVEL: Record<string, number> = {
  LOCAL: 0,
  DEV: 1,
  DEVELOPMENT: 1,
  TEST: 2,
  TESTING: 2,
  QA: 2,
  INT: 2,
  INTEGRATION: 2,
  STAGING: 3,
  STAGE: 3,
  STG: 3,
  UAT: 3,
  PREPROD: 3,
  PREPRODUCTION: 3,
  PROD: 4,
  PRODUCTION: 4,
  PRD: 4,
  LIVE: 4,
};

/** Where a subject sits on its ladder, or null when no token of its name names a level. */
export function rungOf(subject: string): Rung | null {
  const parts = subject.split(/([-_. ]+)/);
  for (let i = 0; i < parts.length; i += 2) {
    const token = (parts[i] ?? '').toUpperCase();
    const level = TOKEN_LEVEL[token];
    if (level === undefined) continue;
    const group = parts.map((p, j) => (j === i ? '*' : p)).join('');
    return { level, name: LEVEL_NAMES[level] ?? token, group };
  }
  return null;
}

/** Types that move a version into an environment. */
export function isDeployType(type: string): boolean {
  const t = type.toLowerCase();
  return (t.includes('deploy') && t !== 'deployment-status') || t === 'release' || t === 'rollback';
}
