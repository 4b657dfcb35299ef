import { describe, expect, it } from 'vitest';
import { buildGrid, type GridCellInput } from './grid.js';

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
        summary: 'BE: STAGING runs 2.5.0, PRODUCTION runs 2.4.0',
      },
    ]);
  });
});
