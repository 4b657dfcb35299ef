/**
 * Holm's step-down adjustment (Holm 1979), as R's `p.adjust(p, "holm")`: sorted ascending, the
 * i-th smallest is multiplied by (m - i + 1), made monotone, capped at 1. Returned in input order.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
