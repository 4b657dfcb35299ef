/**
 * Names as the MCP tools match them: in any case, and with `*` standing for any run of
 * characters, so one pattern covers a rung or a whole ladder of environments (see
 * environments.ts): `*-PRODUCTION` is every production environment, `BRAND-A-*` every step of
 * BRAND-A. A `*` beside a separator (- _ . space) may also swallow the separator, so
 * `*-PRODUCTION` includes PRODUCTION itself and `BRAND-A-*` includes BRAND-A.
 * Names fold with the store's foldCase, so a pattern and the folded columns agree.
 */
import { foldCase } from '../store/fold-case.js';
import { rungOf } from './environments.js';

export const isPattern = (name: string): boolean => name.includes('*');

const escapeRegex = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A test for names: whole-name, case-insensitive; a name without `*` must equal the value. */
export function nameMatcher(name: string): (value: string) => boolean {
  let rest = foldCase(name);
  if (!isPattern(rest)) return (value) => foldCase(value) === rest;
  let prefix = '';
  let suffix = '';
  const lead = /^\*+([-_. ])/.exec(rest);
  if (lead) {
    prefix = `(?:.*${escapeRegex(lead[1] as string)})?`;
    rest = rest.slice(lead[0].length);
  }
  const trail = /([-_. ])\*+$/.exec(rest);
  if (trail) {
    suffix = `(?:${escapeRegex(trail[1] as string)}.*)?`;
    rest = rest.slice(0, -trail[0].length);
  }
  const regex = new RegExp(`^${prefix}${rest.split(/\*+/).map(escapeRegex).join('.*')}${suffix}$`, 's');
  return (value) => regex.test(foldCase(value));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known names closest to one that matched nothing, closest first: a subject on the same rung
 * of the same ladder ("EU-PRD" → EU-PRODUCTION), then those containing it (or contained in it),
 * then those a few edits away; when none is close, the first `max` known
 * names, so the answer always shows what exists.
 */
export function closestNames(name: string, known: readonly string[], max = 5): string[] {
  const wanted = foldCase(name).replace(/\*+/g, '');
  const rung = rungOf(foldCase(name));
  // A ladder's group is a pattern already ("eu-*"); the asked name's own stars widen it ("tenant-1*-*").
  const sameGroup = rung ? nameMatcher(rung.group) : () => false;
  const scored = known.map((value) => {
    const folded = foldCase(value);
    const other = rungOf(folded);
    // "EU-PRD" is the rung EU-PRODUCTION stands on, however many letters apart.
    const sameRung = rung !== null && other?.level === rung.level && sameGroup(other.group);
    const contains = wanted !== '' && (folded.includes(wanted) || wanted.includes(folded));
    const distance = editDistance(wanted, folded);
    return { value, sameRung, contains, distance };
  });
  const close = scored
    .filter((s) => s.sameRung || s.contains || s.distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort(
      (a, b) =>
        Number(b.sameRung) - Number(a.sameRung) ||
        Number(b.contains) - Number(a.contains) ||
        a.distance - b.distance,
    );
  return (close.length > 0 ? close.map((s) => s.value) : known).slice(0, max);
}
