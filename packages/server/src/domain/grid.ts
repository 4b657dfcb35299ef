/**
 * The source x subject grid: per cell the latest event and the latest version seen there, the
 * subjects ordered along their ladders, and where environments of one ladder drifted apart
 * (a source running different versions on its steps).
 */
import type { Severity } from '@opstrails/core';
import { rungOf } from './environments.js';

export interface GridCellInput {
  source: string;
  subject: string;
  type: string;
  time: string;
  severity: Severity | null;
  version: string | null;
  eventId: string;
  /** The newest version seen in the cell (the latest event may carry none, e.g. a cache purge). */
  latestVersion: string | null;
  latestVersionTime: string | null;
}

/**
 * How the steps of one ladder differ. `ahead`: a lower rung runs a newer version than the one
 * above it (the normal state between releases: waiting for promotion). `unpromoted`: a higher
 * rung runs a newer version than the rung below it, a version that never went through it.
 * `diverged`: different versions with no order between them (not dotted numbers).
 */
export type DriftKind = 'ahead' | 'unpromoted' | 'diverged';

/** Worst first: the order the console lists drift in and the kind a ladder takes from its pairs. */
export const DRIFT_KINDS: DriftKind[] = ['unpromoted', 'diverged', 'ahead'];

export interface Drift {
  source: string;
  ladder: string;
  kind: DriftKind;
  marks: DriftMark[];
  /** subject -> version, lowest rung first. */
  versions: { subject: string; version: string }[];
  summary: string;
}

/** Spellings of one name that differ only in case or surrounding spaces (`production`, `PRODUCTION`, `BE `). */
export interface NamingVariant {
  field: 'source' | 'subject';
  /** The name trimmed and lower-cased: what the variants have in common. */
  name: string;
  /** Each spelling with the number of grid cells it appears in (the route adds event counts). */
  spellings: { value: string; count: number }[];
}

export interface Grid {
  sources: string[];
  subjects: string[];
  cells: GridCellInput[];
  drift: Drift[];
  naming: NamingVariant[];
}

/** A version as numbers (`v2.10.1-rc1` -> [2, 10, 1]), or null when it is not dotted numbers (a commit sha, a date tag with words). */
export function versionNumbers(version: string): number[] | null {
  const match = /^[vV]?(\d+(?:\.\d+)*)(?:[-+].*)?$/.exec(version.trim());
  return match?.[1] ? match[1].split('.').map(Number) : null;
}

/** Orders two versions: negative when `a` is older, 0 when equal, null when they have no order. */
export function compareVersions(a: string, b: string): number | null {
  if (a === b) return 0;
  const na = versionNumbers(a);
  const nb = versionNumbers(b);
  if (!na || !nb) return null;
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  // Same numbers: equal unless a suffix differs (2.5.0-rc1 vs 2.5.0), which has no order we can trust.
  const suffix = (v: string) => v.trim().replace(/^[vV]?[\d.]+/, '');
  return suffix(a) === suffix(b) ? 0 : null;
}

/** The cells a drift is shown on: the rung ahead, the rung past the one below it, or both sides of a divergence. */
export interface DriftMark {
  subject: string;
  kind: DriftKind;
}

/** The marks of one ladder's steps (lowest rung first): empty when they all run one version. */
export function driftMarks(steps: { subject: string; version: string }[]): DriftMark[] {
  const marks = new Map<string, DriftKind>();
  const mark = (subject: string, kind: DriftKind) => {
    const had = marks.get(subject);
    if (!had || DRIFT_KINDS.indexOf(kind) < DRIFT_KINDS.indexOf(had)) marks.set(subject, kind);
  };
  for (let i = 0; i + 1 < steps.length; i++) {
    const lower = steps[i] as { subject: string; version: string };
    const upper = steps[i + 1] as { subject: string; version: string };
    if (lower.version === upper.version) continue;
    const order = compareVersions(lower.version, upper.version);
    if (order === null) {
      mark(lower.subject, 'diverged');
      mark(upper.subject, 'diverged');
    } else if (order > 0) mark(lower.subject, 'ahead');
    else mark(upper.subject, 'unpromoted');
  }
  return steps.flatMap((s) => {
    const kind = marks.get(s.subject);
    return kind ? [{ subject: s.subject, kind }] : [];
  });
}

/** The drift of one ladder's steps (lowest rung first): its worst mark, or null when they all run one version. */
export function driftKind(steps: { subject: string; version: string }[]): DriftKind | null {
  const kinds = new Set(driftMarks(steps).map((m) => m.kind));
  return DRIFT_KINDS.find((k) => kinds.has(k)) ?? null;
}

function driftSummary(
  source: string,
  kind: DriftKind,
  steps: { subject: string; version: string }[],
): string {
  const runs = steps.map((s) => `${s.subject} runs ${s.version}`).join(', ');
  const top = steps[steps.length - 1]?.subject;
  if (kind === 'ahead') return `${source}: ${runs} (waiting for promotion)`;
  if (kind === 'unpromoted') return `${source}: ${runs} (${top} runs a version the rung below never had)`;
  return `${source}: ${runs} (diverged: the versions have no order)`;
}

/** Names used in more than one spelling, most cells first. */
export function namingVariants(cells: { source: string; subject: string }[]): NamingVariant[] {
  const found: NamingVariant[] = [];
  for (const field of ['source', 'subject'] as const) {
    const byName = new Map<string, Map<string, number>>();
    for (const cell of cells) {
      const value = cell[field];
      const name = value.trim().toLowerCase();
      const spellings = byName.get(name) ?? new Map<string, number>();
      spellings.set(value, (spellings.get(value) ?? 0) + 1);
      byName.set(name, spellings);
    }
    for (const [name, spellings] of byName) {
      if (spellings.size < 2) continue;
      found.push({
        field,
        name,
        spellings: [...spellings]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      });
    }
  }
  return found;
}

/** Subjects grouped by ladder (brand or region prefix), each ladder lowest rung first; subjects outside any ladder last. */
export function subjectOrder(a: string, b: string): number {
  const ra = rungOf(a);
  const rb = rungOf(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : a.localeCompare(b);
  // Case-blind, so `production` sits next to `PRODUCTION` (the naming check names both).
  const byGroup = ra.group.toLowerCase().localeCompare(rb.group.toLowerCase());
  return byGroup || ra.level - rb.level || a.localeCompare(b);
}

export function buildGrid(cells: GridCellInput[]): Grid {
  const sources = [...new Set(cells.map((c) => c.source))].sort();
  const subjects = [...new Set(cells.map((c) => c.subject))].sort(subjectOrder);
  const drift: Drift[] = [];
  for (const source of sources) {
    const ladders = new Map<string, { subject: string; version: string; level: number }[]>();
    for (const cell of cells) {
      if (cell.source !== source || !cell.latestVersion) continue;
      const rung = rungOf(cell.subject);
      if (!rung) continue;
      const steps = ladders.get(rung.group) ?? [];
      steps.push({ subject: cell.subject, version: cell.latestVersion, level: rung.level });
      ladders.set(rung.group, steps);
    }
    for (const [ladder, steps] of ladders) {
      if (steps.length < 2) continue;
      steps.sort((a, b) => a.level - b.level || a.subject.localeCompare(b.subject));
      const versions = steps.map(({ subject, version }) => ({ subject, version }));
      const marks = driftMarks(versions);
      const kind = DRIFT_KINDS.find((k) => marks.some((m) => m.kind === k));
      if (!kind) continue;
      drift.push({ source, ladder, kind, marks, versions, summary: driftSummary(source, kind, versions) });
    }
  }
  drift.sort((a, b) => DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind));
  const sorted = [...cells].sort(
    (a, b) => a.source.localeCompare(b.source) || subjectOrder(a.subject, b.subject),
  );
  return { sources, subjects, cells: sorted, drift, naming: namingVariants(cells) };
}
