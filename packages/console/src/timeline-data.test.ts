import type { StoredEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { bucketStep, buildTimeline } from './timeline-data.js';

const event = (time: string, type: string, severity: StoredEvent['severity']): StoredEvent => ({
  id: `${time}-${type}`,
  specversion: '1.0',
  type,
  source: 'BE',
  time,
  subject: 'PRODUCTION',
  severity,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  createdAt: time,
});

describe('timeline buckets', () => {
  it('picks a readable bucket size for the span', () => {
    expect(bucketStep(3_600)).toBe(60);
    expect(bucketStep(86_400)).toBe(1_800);
    expect(bucketStep(30 * 86_400)).toBe(43_200);
  });

  it('stacks counts so each series is drawn over the previous one', () => {
    const from = Date.parse('2026-11-22T10:00:00Z');
    const data = buildTimeline(
      [
        event('2026-11-22T10:00:10Z', 'deployment', 'LOW'),
        event('2026-11-22T10:00:20Z', 'incident', 'CRITICAL'),
        event('2026-11-22T10:30:00Z', 'deployment', null),
      ],
      from,
      from + 3_600_000,
      'severity',
    );
    expect(data.groups).toEqual(['CRITICAL', 'MAJOR', 'MINOR', 'LOW', 'none']);
    expect(data.stepS).toBe(60);
    expect(data.counts[0]?.[0]).toBe(1);
    expect(data.stacked[0]?.[0]).toBe(2);
    expect(data.stacked[3]?.[0]).toBe(1);
    expect(data.byBucket[30]?.map((e) => e.type)).toEqual(['deployment']);
  });

  it('keeps the busiest types and folds the rest into "other"', () => {
    const from = Date.parse('2026-11-22T10:00:00Z');
    const events = Array.from({ length: 10 }, (_, i) => event(`2026-11-22T10:0${i}:00Z`, `type-${i}`, null));
    events.push(event('2026-11-22T10:00:30Z', 'type-0', null));
    const data = buildTimeline(events, from, from + 3_600_000, 'type');
    expect(data.groups[0]).toBe('type-0');
    expect(data.groups).toHaveLength(9);
    expect(data.groups.at(-1)).toBe('other');
  });
});
