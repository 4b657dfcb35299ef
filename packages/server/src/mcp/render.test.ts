import type { StoredEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { eventLine, versionLabel } from './render.js';

const event = (version: string | null): StoredEvent => ({
  id: 'e-1',
  specversion: '1.0',
  type: 'deployment',
  source: 'BE',
  time: '2026-01-15T12:00:00.000Z',
  subject: 'PRODUCTION',
  severity: null,
  version,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  createdAt: '2026-01-15T12:00:00.000Z',
});

describe('versionLabel', () => {
  it('adds a "v" to a bare version number only', () => {
    expect(versionLabel('1.0.0')).toBe('v1.0.0');
    expect(versionLabel('2.4.1-rc.1')).toBe('v2.4.1-rc.1');
    expect(versionLabel('42')).toBe('v42');
    expect(versionLabel('v1.0.0')).toBe('v1.0.0');
    expect(versionLabel('V2')).toBe('V2');
    expect(versionLabel('3fa9c1e')).toBe('3fa9c1e');
    expect(versionLabel('release-7')).toBe('release-7');
  });
});

describe('eventLine', () => {
  it('never renders vv1.0.0', () => {
    expect(eventLine(event('v1.0.0'))).toBe(
      '2026-01-15T12:00:00.000Z deployment BE → PRODUCTION v1.0.0 (id e-1)',
    );
    expect(eventLine(event('1.0.0'))).toContain(' PRODUCTION v1.0.0 (id e-1)');
    expect(eventLine(event(null))).toBe('2026-01-15T12:00:00.000Z deployment BE → PRODUCTION (id e-1)');
  });
});
