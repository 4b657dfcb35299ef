/**
 * Windowing for the feed: only the rows near the viewport are in the DOM, so 10,000 events
 * scroll as smoothly as 50. Items have known heights (rows and day separators are fixed per
 * layout), so every offset is a prefix sum and the visible range a binary search.
 */

/** Offsets of each item's top; the last entry is the total height. */
export function offsetsOf(heights: number[]): number[] {
  const offsets = new Array<number>(heights.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = (offsets[i] as number) + (heights[i] as number);
  return offsets;
}

/** The first item whose bottom is below `y`. */
function indexAt(offsets: number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] as number) <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo);
}

/** The items to render for a viewport from `top` to `bottom` (list coordinates), with some spare on each side. */
export function visibleRange(
  offsets: number[],
  top: number,
  bottom: number,
  overscan = 8,
): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = Math.max(0, indexAt(offsets, top) - overscan);
  const end = Math.min(count, indexAt(offsets, bottom) + 1 + overscan);
  return { start, end };
}
