/**
 * what_changed (ours): the events before an incident (or a moment), ranked with the reasons
 * for each rank; see domain/what-changed.ts for the scoring and domain/business-rules.ts for
 * the rules read from the business context. Deterministic: no model inside.
 */
import type { StoredEvent } from '@opstrails/core';
import { z } from 'zod';
import { parseBusinessRules } from '../../domain/business-rules.js';
import { isDeployType, PRODUCTION_LEVEL, rungOf, STAGING_LEVEL } from '../../domain/environments.js';
import { nameMatcher } from '../../domain/name-pattern.js';
import {
  type GuardrailsBroken,
  type RankedChange,
  rankChanges,
  type StagingCheck,
} from '../../domain/what-changed.js';
import { guardrails } from '../../guardrails/repository.js';
import { toStoredEvent } from '../../store/events.js';
import { ImpactVerdictRepository } from '../../store/impact-verdicts.js';
import { checkTimezone, formatDuration, parseDuration, parseTimeArg } from '../arguments.js';
import { fitPrefix, fits, slimEvent } from '../budget.js';
import { hasMetricsFor } from '../metrics-availability.js';
import { matchedNames, nearMiss, resolveName } from '../names.js';
import { cursorParam, encodeCursor, limitParam, nextCursorSchema, offsetOf } from '../paging.js';
import { eventLine } from '../render.js';
import {
  eventSchema,
  type SuggestedCall,
  sourceParam,
  subjectParam,
  timezoneParam,
  typeParam,
  windowParam,
} from '../schemas.js';
import { defineTool, type ToolEnv, ToolInputError } from '../tool.js';
import { findEvent } from './find-event.js';

const NAME = 'what_changed';
const DEFAULT_WINDOW = '2h';

/** The guardrail violations recorded for the candidates, in words, by event (one read). */
async function guardrailsBrokenBy(env: ToolEnv, candidates: StoredEvent[]): Promise<GuardrailsBroken> {
  const ids = [...new Set(candidates.map((e) => e.id))];
  if (ids.length === 0) return () => [];
  const { violations } = await guardrails(env.store).listViolations(env.orgId, {
    eventIds: ids,
    limit: 1000,
  });
  const byEvent = new Map<string, string[]>();
  for (const v of violations) {
    const key = `${v.event.source}\u0000${v.event.id}`;
    byEvent.set(key, [...(byEvent.get(key) ?? []), `${v.guardrailName} (${v.ruleType}): ${v.reason}`]);
  }
  return (e) => byEvent.get(`${e.source}\u0000${e.id}`) ?? [];
}
/** The candidates whose stored impact verdict is `regressed` (impact/fill-in.ts). */
async function judgedRegressed(
  env: ToolEnv,
  candidates: StoredEvent[],
): Promise<(e: StoredEvent) => boolean> {
  const regressed = await new ImpactVerdictRepository(env.store.db).regressedAmong(env.orgId, candidates);
  return (e) => regressed.has(`${e.source}\u0000${e.id}`);
}

/** Events looked at in the window, newest first; a busier window is ranked on its latest part and says so. */
const CANDIDATES_MAX = 200;

/** How far before a production deploy its staging deploy is looked for. */
export const STAGING_LOOKBACK_MS = 14 * 86_400_000;

/**
 * For each production deploy among the candidates: did the same source deploy the same version
 * to the staging rung of the same ladder in the STAGING_LOOKBACK_MS before it? (Ladders are
 * assumed to have a staging step.)
 */
async function stagingCheckFor(env: ToolEnv, candidates: StoredEvent[]): Promise<StagingCheck> {
  const prodDeploys = candidates.filter(
    (e) => e.version && e.subject && isDeployType(e.type) && rungOf(e.subject)?.level === PRODUCTION_LEVEL,
  );
  if (prodDeploys.length === 0) return () => 'unknown';
  const times = prodDeploys.map((e) => Date.parse(e.time));
  const changes = new Map(
    prodDeploys.map((e) => [
      `${e.source}\u0000${e.version}`,
      { source: e.source, version: e.version as string },
    ]),
  );
  const history = await env.store.events.versionHistory(
    env.orgId,
    [...changes.values()],
    Math.min(...times) - STAGING_LOOKBACK_MS,
    Math.max(...times),
  );
  // Staging deploys by source + version, each with its ladder and time: one pass over the history.
  const staged = new Map<string, { group: string; time: number }[]>();
  for (const h of history) {
    if (!h.subject || !h.version || !isDeployType(h.type)) continue;
    const rung = rungOf(h.subject);
    if (rung?.level !== STAGING_LEVEL) continue;
    const key = `${h.source}\u0000${h.version}`;
    staged.set(key, [...(staged.get(key) ?? []), { group: rung.group, time: h.time }]);
  }
  return (event) => {
    const rung = rungOf(event.subject as string);
    if (!rung) return 'unknown';
    const at = Date.parse(event.time);
    const before = staged.get(`${event.source}\u0000${event.version}`) ?? [];
    return before.some((s) => s.group === rung.group && s.time <= at && s.time >= at - STAGING_LOOKBACK_MS)
      ? 'staged'
      : 'skipped';
  };
}

const ranked = z.object({
  rank: z.number(),
  score: z.number(),
  minutesBefore: z.number(),
  event: eventSchema,
  reasons: z.array(z.string()),
});

export const whatChanged = defineTool({
  name: NAME,
  title: 'What changed before',
  description: [
    'Answer "what changed before this incident?": the events in the window before an incident (eventId) or a moment (time), ranked by how likely each is to have caused it, each with its reasons (same subject or source, a source the business context couples with it, severity, closeness in time, outside the stated deploy window, a production deploy that skipped staging, a broken guardrail, an impact judged regressed). Deterministic scoring, no model.',
    'Use it after finding the incident with query_events; use query_events to list events without ranking.',
    'subject, source and type match in any case; "*" patterns widen "same subject" to a rung ("*-PRODUCTION") or a ladder ("BRAND-A-*"); type keeps only those candidates ("deploy*").',
    'Limits: window 1m-31d (default 2h), the newest 200 events in it are ranked; limit 1-50 (default 10) with nextCursor for the next ranks. Past the answer budget (about 20,000 tokens) event data is cut to short fields and fewer ranks are shown, saying so.',
  ].join(' '),
  input: {
    eventId: z
      .string()
      .describe('The incident (or any event) to look before; its subject and source guide the ranking.')
      .optional(),
    time: z.string().describe('A moment instead of an event: ISO 8601 or relative ("-30m").').optional(),
    window: windowParam.optional(),
    subject: subjectParam
      .describe("The affected environment, when giving time (default: the event's subject).")
      .optional(),
    source: sourceParam
      .describe("The affected system, when giving time (default: the event's source).")
      .optional(),
    type: typeParam
      .describe('Only candidates of this type, in any case or as a pattern (e.g. "deploy*").')
      .optional(),
    limit: limitParam(50, 10, 'ranked events').optional(),
    cursor: cursorParam.optional(),
    timezone: timezoneParam.optional(),
  },
  output: {
    anchor: z.object({
      time: z.string(),
      subject: z.string().nullable(),
      source: z.string().nullable(),
      eventId: z.string().nullable(),
    }),
    window: z.object({ from: z.string(), to: z.string(), duration: z.string() }),
    rulesApplied: z.array(z.string()),
    considered: z.number(),
    truncated: z.boolean(),
    nextCursor: nextCursorSchema,
    summarized: z.boolean().describe('True when event data was cut to fit the answer budget.'),
    matched: z
      .record(z.string(), z.array(z.string()))
      .describe('The names each pattern covered, e.g. {"subjects": ["EU-PRODUCTION", "PRODUCTION"]}.'),
    note: z.string().nullable(),
    ranked: z.array(ranked),
  },
  async run(args, env) {
    if (args.eventId === undefined && args.time === undefined)
      throw new ToolInputError(
        'give eventId (the incident, from query_events) or time (e.g. "-30m" or "2025-01-15T14:45:00Z")',
      );
    const timezone = checkTimezone(args.timezone);
    const windowMs = parseDuration('window', args.window ?? DEFAULT_WINDOW);
    const incident = args.eventId === undefined ? null : await findEvent(env, args.eventId);
    const at = incident
      ? Date.parse(incident.time)
      : parseTimeArg('time', args.time as string, env.now, timezone);
    const anchor = {
      time: at,
      subject: args.subject ?? incident?.subject ?? null,
      source: args.source ?? incident?.source ?? null,
      eventId: incident?.id,
    };
    const [type, subjects, sources] = await Promise.all([
      resolveName(env, 'type', args.type),
      resolveName(env, 'subject', args.subject),
      resolveName(env, 'source', args.source),
    ]);
    const matched = matchedNames({ type, subject: subjects, source: sources });
    const [page, stored] = await Promise.all([
      type.filter?.length === 0
        ? { rows: [], next: null }
        : env.store.events.list(
            env.orgId,
            { from: at - windowMs, to: at, types: type.filter },
            CANDIDATES_MAX,
          ),
      env.store.organizations.getContext(env.orgId),
    ]);
    const candidates = page.rows.map(toStoredEvent);
    const rules = parseBusinessRules(stored.context);
    const ranking = rankChanges(
      anchor,
      candidates,
      windowMs,
      rules,
      await stagingCheckFor(env, candidates),
      await guardrailsBrokenBy(env, candidates),
      await judgedRegressed(env, candidates),
    );
    const offset = offsetOf(NAME, args.cursor);
    const pageOfRanks = ranking.slice(offset, offset + (args.limit ?? 10));
    const asked = { subject: args.subject, source: args.source, type: args.type };
    // Only when an asked name is absent from the window is it worth asking what exists.
    const seenInWindow = (field: 'subject' | 'source' | 'type') => {
      const value = asked[field];
      if (value === undefined) return true;
      const matches = nameMatcher(value);
      return candidates.some((e) => e[field] !== null && matches(e[field] as string));
    };
    const note =
      seenInWindow('subject') && seenInWindow('source') && seenInWindow('type')
        ? null
        : await nearMiss(env, asked);
    const rulesApplied = [
      ...rules.coupled.map((c) => `coupled sources ${c.sources.join(' + ')}: "${c.sentence}"`),
      ...(rules.stagingFirst ? [`staging before production: "${rules.stagingFirst.sentence}"`] : []),
      ...(rules.deployWindow
        ? [`deploy window ${rules.deployWindow.label}: "${rules.deployWindow.sentence}"`]
        : []),
    ];
    const iso = (ms: number) => new Date(ms).toISOString();
    const metricsForTop = pageOfRanks[0] ? await hasMetricsFor(env, pageOfRanks[0].event.subject) : false;
    const build = (top: RankedChange[], summarized: boolean) => {
      const end = offset + top.length;
      const nextCursor = end < ranking.length ? encodeCursor(NAME, { offset: end }) : null;
      const first = top[0];
      const next: SuggestedCall[] = [];
      if (first) {
        next.push({
          tool: 'get_event',
          arguments: { id: first.event.id },
          reason: 'full data of the top-ranked change',
        });
        if (first.event.version)
          next.push({
            tool: 'get_promotion_path',
            arguments: { version: first.event.version, source: first.event.source },
            reason: `where ${first.event.source} ${first.event.version} went before this`,
          });
        if (metricsForTop)
          next.push({
            tool: 'get_metrics_around_event',
            arguments: { eventId: first.event.id },
            reason: 'whether metrics moved after the top-ranked change',
          });
        if (nextCursor)
          next.push({ tool: NAME, arguments: { ...args, cursor: nextCursor }, reason: 'the next ranks' });
      } else if (offset === 0) {
        next.push({
          tool: NAME,
          arguments: { ...args, window: formatDuration(Math.min(windowMs * 4, 31 * 86_400_000)) },
          reason: 'nothing in this window: look further back',
        });
      }
      const patterns = Object.entries(matched)
        .map(([field, names]) => `${field} matched: ${names.join(', ') || 'none'}`)
        .join('; ');
      return {
        data: {
          anchor: {
            time: iso(at),
            subject: anchor.subject,
            source: anchor.source,
            eventId: anchor.eventId ?? null,
          },
          window: { from: iso(at - windowMs), to: iso(at), duration: formatDuration(windowMs) },
          rulesApplied,
          considered: ranking.length,
          truncated: page.next !== null,
          nextCursor,
          summarized,
          matched,
          note,
          ranked: top,
        },
        text: [
          note,
          patterns || null,
          summarized
            ? `Summarized to fit the answer budget: event data cut to short fields (get_event has the whole event)${nextCursor ? '; pass nextCursor for the next ranks' : ''}.`
            : null,
          `${top.length === 0 ? 'none' : `ranks ${offset + 1}-${end}`} of ${ranking.length} event(s) in the ${formatDuration(windowMs)} before ${iso(at)}${
            anchor.subject ? ` (${anchor.source ?? '?'} → ${anchor.subject})` : ''
          }, most likely first${nextCursor && !summarized ? ' (pass nextCursor for more)' : ''}:`,
          ...top.map(
            (r) => `${r.rank}. [${r.score}] ${eventLine(r.event)}\n   because: ${r.reasons.join('; ')}`,
          ),
          rulesApplied.length > 0
            ? `Rules from the business context: ${rulesApplied.join(' | ')}`
            : 'No rules found in the business context (coupling, staging first, deploy window).',
        ]
          .filter((line) => line !== null)
          .join('\n'),
        next: next.slice(0, 3),
      };
    };
    const whole = build(pageOfRanks, false);
    if (fits(whole)) return whole;
    const slim = pageOfRanks.map((r) => ({ ...r, event: slimEvent(r.event) }));
    return fitPrefix(slim.length, (n) => build(slim.slice(0, n), true)).answer;
  },
});
