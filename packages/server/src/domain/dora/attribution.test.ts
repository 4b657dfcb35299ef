import { describe, expect, it } from 'vitest';
import { judgeTimeline, type VersionHistory } from './attribution.js';
import type { DoraEvent } from './events.js';

const H = 3_600_000;
let n = 0;
const ev = (over: Partial<DoraEvent>): DoraEvent => ({
  id: `e${++n}`,
  source: 'BE',
  type: 'deployment',
  subject: 'PRODUCTION',
  time: 0,
  version: null,
  severity: null,
  data: null,
  ...over,
});

/** The version history the store query would give, from the events themselves. */
function history(events: DoraEvent[]): VersionHistory {
  const first = (match: (e: DoraEvent) => boolean) =>
    events
      .filter(match)
      .reduce<number | undefined>((min, e) => (min === undefined || e.time < min ? e.time : min), undefined);
  return {
    firstAnywhere: (source, version) => first((e) => e.source === source && e.version === version),
    firstOnStream: (source, subject, version) =>
      first((e) => e.source === source && e.subject === subject && e.version === version),
  };
}

const judge = (events: DoraEvent[]) =>
  judgeTimeline({
    events,
    measured: (s) => s === 'PRODUCTION',
    failureWindowMs: 4 * H,
    versions: history(events),
  });

describe('judging deployments', () => {
  it('reads data.causedBy, data.deploymentId and data.fixes as explicit links', () => {
    const a = ev({ id: 'a', time: 0, version: '1' });
    const b = ev({ id: 'b', time: 10 * H, version: '2' });
    const c = ev({ id: 'c', time: 20 * H, version: '3' });
    const fix = ev({ id: 'fix', time: 30 * H, version: '4', data: { fixes: ['c'] } });
    const judged = judge([
      a,
      b,
      c,
      fix,
      ev({ id: 'i1', type: 'incident', subject: 'CHECKOUT', time: 5 * H, data: { causedBy: 'a' } }),
      ev({ id: 'r1', type: 'rollback', subject: 'OTHER', time: 15 * H, data: { deploymentId: 'b' } }),
    ]);
    const by = Object.fromEntries(judged.map((j) => [j.deployment.id, j]));
    expect(by.a?.failure).toMatchObject({
      evidence: 'linked',
      reason: 'incident i1 names it in data.causedBy',
    });
    expect(by.a?.restore).toMatchObject({ how: 'deployment', ms: 25 * H, end: fix });
    expect(by.b?.failure).toMatchObject({
      evidence: 'linked',
      reason: 'rollback r1 names it in data.deploymentId',
    });
    expect(by.b?.restore).toMatchObject({ how: 'rollback', ms: 5 * H });
    expect(by.c?.failure).toMatchObject({
      evidence: 'linked',
      reason: 'deployment fix says it fixes it in data.fixes',
    });
    expect(by.fix?.rework).toBe('fixes c (data.fixes)');
    expect(by.fix?.failure).toBeNull();
  });

  it('does not guess from the window when the incident names its cause, and counts a deployment once', () => {
    const d = ev({ id: 'd', time: 0 });
    const other = ev({ id: 'other', source: 'FE', time: H });
    const judged = judge([
      d,
      other,
      ev({ id: 'i', type: 'incident', time: 2 * H, causationid: 'd' }),
      ev({ id: 'rb', type: 'rollback', time: 3 * H }),
    ]);
    const by = Object.fromEntries(judged.map((j) => [j.deployment.id, j]));
    expect(by.other?.failure).toBeNull();
    expect(by.d?.failure?.evidence).toBe('linked');
    expect(by.d?.failure?.reasons).toEqual([
      'incident i names it in causationid',
      'rollback rb on BE PRODUCTION before the next deployment there',
    ]);
  });

  it('counts hotfix types and data.unplanned as rework; leaves unmeasured subjects and unfinished deploys out', () => {
    const judged = judge([
      ev({ id: 'h', type: 'hotfix', time: 0 }),
      ev({ id: 'u', time: H, data: { unplanned: true } }),
      ev({ id: 's', subject: 'STAGING', time: 2 * H }),
      ev({ id: 'f', time: 3 * H, data: { status: 'failed' } }),
    ]);
    expect(judged.map((j) => [j.deployment.id, j.rework])).toEqual([
      ['h', 'a hotfix (hotfix type)'],
      ['u', 'data.unplanned is true'],
    ]);
  });
});

describe('one deployment reported twice', () => {
  const ok = (over: Partial<DoraEvent>) =>
    ev({ type: 'deployment-status', data: { status: 'success' }, ...over });

  it('counts a status report naming a deploy event, or following it with its version, as that deployment', () => {
    const a = ev({ id: 'a', time: 0, version: '1' });
    const aOk = ok({ id: 'a-ok', time: H, version: '1', data: { status: 'success', deploymentId: 'a' } });
    const b = ev({ id: 'b', time: 10 * H, version: '2' });
    const bOk = ok({ id: 'b-ok', time: 11 * H, version: '2' });
    const alone = ok({ id: 'c-ok', time: 20 * H, version: '3' });
    // Another version after b's report: a deployment of its own, not a report on b.
    const other = ok({ id: 'd-ok', time: 30 * H, version: '4' });
    expect(judge([a, aOk, b, bOk, alone, other]).map((j) => j.deployment.id)).toEqual([
      'a',
      'b',
      'c-ok',
      'd-ok',
    ]);
  });

  it('reads a link naming the report as naming the deployment', () => {
    const a = ev({ id: 'a', time: 0, version: '1' });
    const aOk = ok({ id: 'a-ok', time: H, version: '1', causationid: 'a' });
    const incident = ev({ id: 'i', type: 'incident', time: 30 * H, causationid: 'a-ok' });
    const [judged] = judge([a, aOk, incident]);
    expect(judged?.failure).toMatchObject({
      evidence: 'linked',
      reason: 'incident i names it in causationid',
    });
  });
});
