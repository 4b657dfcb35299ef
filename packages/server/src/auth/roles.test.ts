import { describe, expect, it } from 'vitest';
import { canAssign, canRemove, hasRole, scopeForRole } from './roles.js';

describe('roles', () => {
  it('ranks OWNER over ADMIN over MEMBER and derives the API scope', () => {
    expect(hasRole('OWNER', 'ADMIN')).toBe(true);
    expect(hasRole('ADMIN', 'OWNER')).toBe(false);
    expect(hasRole('MEMBER', 'ADMIN')).toBe(false);
    expect(scopeForRole('ADMIN')).toBe('READ_WRITE');
    expect(scopeForRole('MEMBER')).toBe('READ_ONLY');
  });

  it('lets admins manage admins and members, and only owners touch owners', () => {
    expect(canAssign('ADMIN', 'MEMBER', 'ADMIN')).toBe(true);
    expect(canAssign('ADMIN', null, 'OWNER')).toBe(false);
    expect(canAssign('ADMIN', 'OWNER', 'MEMBER')).toBe(false);
    expect(canAssign('OWNER', 'OWNER', 'MEMBER')).toBe(true);
    expect(canAssign('MEMBER', 'MEMBER', 'MEMBER')).toBe(false);
    expect(canRemove('ADMIN', 'ADMIN')).toBe(true);
    expect(canRemove('ADMIN', 'OWNER')).toBe(false);
    expect(canRemove('OWNER', 'OWNER')).toBe(true);
    expect(canRemove('MEMBER', 'MEMBER')).toBe(false);
  });
});
