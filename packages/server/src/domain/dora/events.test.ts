import { describe, expect, it } from 'vitest';
import {
  causeLinks,
  commitTimes,
  type DoraEvent,
  fixesOf,
  isDeployment,
  isIncidentStart,
  isResolution,
  isRollback,
} from './events.js';

const event = (over: Partial<DoraEvent>): DoraEvent => ({
  id: 'e1',
  source: 'BE',
  type: 'deployment',
  subject: 'PRODUCTION',
  time: 0,
  version: null,
  severity: null,
  data: null,
  ...over,
});

describe('what DORA reads from an event', () => {
  it('tells finished deployments from rollbacks, failed or unfinished deploys and status events', () => {
    for (const type of [
      'deployment',
      'release',
      'hotfix',
      'dev.cdevents.service.deployed.0.2.0',
      'dev.cdevents.service.upgraded.0.2.0',
    ])
      expect(isDeployment(event({ type })), type).toBe(true);
    expect(isDeployment(event({ type: 'rollback' }))).toBe(false);
    expect(isDeployment(event({ type: 'dev.cdevents.service.rolledback.0.2.0' }))).toBe(false);
    expect(isDeployment(event({ data: { status: 'failed' } }))).toBe(false);
    expect(isDeployment(event({ data: { status: 'in_progress' } }))).toBe(false);
    expect(isDeployment(event({ type: 'deployment-status', data: { status: 'success' } }))).toBe(true);
    expect(isDeployment(event({ type: 'deployment-status', data: { status: 'queued' } }))).toBe(false);
    expect(isDeployment(event({ type: 'deployment-status' }))).toBe(false);
    expect(isRollback(event({ type: 'rolled-back' }))).toBe(true);
  });

  it('tells an incident that opens from its resolution', () => {
    expect(isIncidentStart(event({ type: 'incident' }))).toBe(true);
    expect(isResolution(event({ type: 'incident', data: { status: 'resolved' } }))).toBe(true);
    expect(isResolution(event({ type: 'dev.cdevents.incident.resolved.0.2.0' }))).toBe(true);
    expect(isIncidentStart(event({ type: 'dev.cdevents.incident.resolved.0.2.0' }))).toBe(false);
  });

  it('reads the explicit links: causationid, data.causedBy, data.deploymentId, data.fixes', () => {
    expect(causeLinks(event({ causationid: 'd1', data: { causedBy: 'd2', deploymentId: 'd3' } }))).toEqual([
      { id: 'd1', via: 'causationid' },
      { id: 'd2', via: 'data.causedBy' },
      { id: 'd3', via: 'data.deploymentId' },
    ]);
    expect(causeLinks(event({ data: { causedBy: 42 } }))).toEqual([]);
    expect(fixesOf(event({ data: { fixes: 'd1' } }))).toEqual(['d1']);
    expect(fixesOf(event({ data: { fixes: ['d1', 7, 'd2'] } }))).toEqual(['d1', 'd2']);
  });

  it('reads commit times from data.commits[].time, else data.commitTime, leaving out what does not parse', () => {
    expect(
      commitTimes(
        event({
          data: {
            commits: [{ sha: 'a', time: '2026-11-01T00:00:00Z' }, { sha: 'b' }, 'junk'],
            commitTime: '2020-01-01T00:00:00Z',
          },
        }),
      ),
    ).toEqual([Date.parse('2026-11-01T00:00:00Z')]);
    expect(
      commitTimes(event({ data: { commits: [{ sha: 'b' }], commitTime: '2026-11-02T00:00:00Z' } })),
    ).toEqual([Date.parse('2026-11-02T00:00:00Z')]);
    expect(commitTimes(event({ data: { commitTime: 'yesterday' } }))).toEqual([]);
  });
});
