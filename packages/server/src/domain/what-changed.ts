/**
 * Ranks the events before a moment (an incident, an alert) by how likely each is to matter,
 * deterministically, and says why. Points, highest first:
 *   same subject as the incident 40 · same source 20 · a source the business context couples
 *   with the incident's 15 · severity CRITICAL 30 / MAJOR 20 / MINOR 8 / LOW 2 · a change
 *   (deploy, rollback, migration, config) 15 · closeness in time up to 25 (linear over the
 *   window) · outside the deploy window the context states 10 · a production deploy with no
 *   staging deploy of the same version before it 25 (30 when the context asks for staging first) ·
 *   it broke a guardrail (a freeze window or deployment policy, recorded when it was stored) 20 ·
 *   its impact was judged regressed (docs/impact.md) 25.
 * Ties go to the more recent event.
 */
import type { StoredEvent } from '@opstrails/core';
import { type BusinessRules, coupledWith, outsideWindow } from './business-rules.js';
import { isDeployType, PRODUCTION_LEVEL, rungOf } from './environments.js';
import { nameMatcher } from './name-pattern.js';

export interface Anchor {
  /** The moment asked about (ms). */
  time: number;
  subject?: string | null;
  source?: string | null;
  /** The incident event itself, left out of the candidates. */
  eventId?: string;
}

export interface RankedChange {
  rank: number;
  score: number;
  minutesBefore: number;
  event: StoredEvent;
  reasons: string[];
}

/** For a production deploy: whether the same source deployed the same version to staging before. */
export type StagingCheck = (event: StoredEvent) => 'staged' | 'skipped' | 'unknown';

/** The guardrails an event broke, in words ("Holiday Freeze (FREEZE): ..."); none when it broke none. */
export type GuardrailsBroken = (event: StoredEvent) => string[];

const SEVERITY_POINTS: Record<string, number> = { CRITICAL: 30, MAJOR: 20, MINOR: 8, LOW: 2 };
const CHANGE = /deploy|rollback|release|migration|config|schema|flag|scaling|cert|purge/i;

/** In any case, and `*` as a pattern (name-pattern.ts): `*-PRODUCTION` makes every production environment "the same subject". */
const sameName = (name: string | null | undefined) => {
  const matches = name ? nameMatcher(name) : null;
  return (value: string | null) => matches !== null && value !== null && matches(value);
};

export function rankChanges(
  anchor: Anchor,
  candidates: StoredEvent[],
  windowMs: number,
  rules: BusinessRules,
  stagingCheck: StagingCheck,
  guardrailsBroken: GuardrailsBroken = () => [],
  judgedRegressed: (event: StoredEvent) => boolean = () => false,
): RankedChange[] {
  const coupling = anchor.source ? coupledWith(rules, anchor.source) : [];
  const sameSubject = sameName(anchor.subject);
  const sameSource = sameName(anchor.source);
  const scored = candidates
    .filter((e) => !(anchor.eventId && e.id === anchor.eventId && e.source === anchor.source))
    .map((event) => {
      const reasons: string[] = [];
      let score = 0;
      const at = Date.parse(event.time);
      const minutesBefore = Math.max(0, Math.round((anchor.time - at) / 60_000));
      // In any case, as the filters match: `production` is the incident's `PRODUCTION`.
      if (sameSubject(event.subject)) {
        score += 40;
        reasons.push(`same subject (${event.subject}) as the incident`);
      }
      if (sameSource(event.source)) {
        score += 20;
        reasons.push(`same source (${event.source}) as the incident`);
      } else {
        const link = coupling.find((c) =>
          c.sources.some((s) => s.toUpperCase() === event.source.toUpperCase()),
        );
        if (link) {
          score += 15;
          reasons.push(
            `source ${event.source} is coupled with ${anchor.source} per the business context: "${link.sentence}"`,
          );
        }
      }
      if (event.severity) {
        score += SEVERITY_POINTS[event.severity] ?? 0;
        reasons.push(`severity ${event.severity}`);
      }
      if (CHANGE.test(event.type)) {
        score += 15;
        reasons.push(`a change (${event.type})`);
      }
      const closeness = windowMs > 0 ? Math.max(0, 1 - (anchor.time - at) / windowMs) : 1;
      const recency = Math.round(25 * closeness);
      score += recency;
      reasons.push(`${minutesBefore} min before (+${recency} for closeness)`);
      if (rules.deployWindow && isDeployType(event.type)) {
        const w = outsideWindow(rules.deployWindow, at);
        if (w.outside) {
          score += 10;
          reasons.push(
            `outside the deploy window (${rules.deployWindow.label}) the business context states: ${w.local} local time`,
          );
        }
      }
      const rung = event.subject ? rungOf(event.subject) : null;
      if (rung?.level === PRODUCTION_LEVEL && isDeployType(event.type) && event.version) {
        if (stagingCheck(event) === 'skipped') {
          const points = rules.stagingFirst ? 30 : 25;
          score += points;
          reasons.push(
            `production deploy of version ${event.version} with no staging deploy of that version from ${event.source} before it${
              rules.stagingFirst ? ` (the business context says: "${rules.stagingFirst.sentence}")` : ''
            }`,
          );
        }
      }
      const broken = guardrailsBroken(event);
      if (broken.length > 0) {
        score += 20;
        reasons.push(
          `it broke ${broken.length === 1 ? 'a guardrail' : `${broken.length} guardrails`}: ${broken.join('; ')}`,
        );
      }
      if (judgedRegressed(event)) {
        score += 25;
        reasons.push('its impact was judged regressed: metrics of its subject got worse after it');
      }
      return { score, minutesBefore, event, reasons, at };
    });
  scored.sort((a, b) => b.score - a.score || b.at - a.at || a.event.id.localeCompare(b.event.id));
  return scored.map(({ at: _at, ...rest }, i) => ({ rank: i + 1, ...rest }));
}
