/**
 * Mid-ranks of a sample (ties share the average of the ranks they span, as R's `rank`) and the
 * sizes of the tied groups, which the normal approximation's variance needs.
 */
export interface Ranked {
  ranks: Float64Array;
  /** Sum over tied groups of t^3 - t. */
  tieTerm: number;
}

export function rankWithTies(values: ArrayLike<number>): Ranked {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = rank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  return { ranks, tieTerm };
}
