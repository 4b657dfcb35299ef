/** Numbers and phrases for the sentences people and models repeat. */
import type { OverlappingEvent } from './types.js';

const number = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const percent = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, signDisplay: 'exceptZero' });

export function formatValue(value: number, unit: string | null): string {
  const n = number.format(value);
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** "(20x)" for a big multiple, "(+25%)" / "(-1.7%)" otherwise. */
export function formatChange(before: number, after: number, relative: number | null): string {
  if (before > 0 && after / before >= 2) {
    const ratio = after / before;
    return `${ratio >= 10 ? Math.round(ratio) : number.format(Number(ratio.toFixed(1)))}x`;
  }
  return relative === null ? 'from zero' : `${percent.format(relative * 100)}%`;
}

export const formatP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`);

export function windowWords(name: string): string {
  const hours = Number(name.slice(0, -1));
  return hours === 1 ? 'hour' : `${hours} hours`;
}

export function describeOverlap(subject: string, overlapping: OverlappingEvent[], noun: string): string {
  if (overlapping.length === 0) return `nothing else changed on ${subject} in that time`;
  const shown = overlapping
    .slice(0, 3)
    .map((e) => `${e.type} of ${e.source}${e.version ? ` ${e.version}` : ''} at ${e.time.slice(11, 16)} UTC`)
    .join(', ');
  const more = overlapping.length > 3 ? ` and ${overlapping.length - 3} more` : '';
  const count = overlapping.length === 1 ? '1 other event' : `${overlapping.length} other events`;
  return `${count} on ${subject} in that time (${shown}${more}), so it may not be ${noun} alone`;
}
