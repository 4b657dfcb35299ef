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

export interface Drift {
  source: string;
  ladder: string;
  /** subject -> version, lowest rung first. */
  versions: { subject: string; version: string }[];
  summary: string;
}

export interface Grid {
  sources: string[];
  subjects: string[];
  cells: GridCellInput[];
  drift: Drift[];
}

function subjectOrder(a: string, b: string): number {
  const ra = rungOf(a);
  const rb = rungOf(b);
  const ga = ra?.group ?? `~${a}`;
  const gb = rb?.group ?? `~${b}`;
  if (ga !== gb) return ga.localeCompare(gb);
  return (ra?.level ?? 9) - (rb?.level ?? 9) || a.localeCompare(b);
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
      if (steps.length < 2 || new Set(steps.map((s) => s.version)).size < 2) continue;
      steps.sort((a, b) => a.level - b.level);
      drift.push({
        source,
        ladder,
        versions: steps.map(({ subject, version }) => ({ subject, version })),
        summary: `${source}: ${steps.map((s) => `${s.subject} runs ${s.version}`).join(', ')}`,
      });
    }
  }
  const sorted = [...cells].sort(
    (a, b) => a.source.localeCompare(b.source) || subjectOrder(a.subject, b.subject),
  );
  return { sources, subjects, cells: sorted, drift };
}
