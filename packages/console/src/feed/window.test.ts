import { describe, expect, it } from 'vitest';
import { offsetsOf, visibleRange } from './window.js';

describe('feed windowing', () => {
  it('renders only the items around the viewport, whatever the list length', () => {
    // A day separator (28 px) before every 100 rows of 40 px.
    const heights = Array.from({ length: 10_100 }, (_, i) => (i % 101 === 0 ? 28 : 40));
    const offsets = offsetsOf(heights);
    expect(offsets[heights.length]).toBe(100 * 28 + 10_000 * 40);
    expect(visibleRange(offsets, 0, 800, 0)).toEqual({ start: 0, end: 21 });
    const deep = visibleRange(offsets, 200_000, 200_800, 5);
    expect(deep.end - deep.start).toBeLessThan(40);
    expect(offsets[deep.start + 5]).toBeLessThanOrEqual(200_000);
    expect(offsets[deep.end - 5]).toBeGreaterThanOrEqual(200_800);
    expect(visibleRange(offsets, 10_000_000, 10_000_800, 3).end).toBe(heights.length);
    expect(visibleRange(offsetsOf([]), 0, 800)).toEqual({ start: 0, end: 0 });
  });
});
