import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, validateEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../../../../test-support/mcp-tool-env.js';
import { FROM, TIMELINE, TO } from '../../../test/dora-timeline.js';
import { openStore, type Store } from '../../store/store.js';
import { OrgOverviews } from '../org-overview.js';
import type { ToolEnv } from '../tool.js';
import { getDoraMetrics } from './get-dora-metrics.js';

describe('get_dora_metrics', () => {
  let dataDir: string;
  let store: Store;
  let env: ToolEnv;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opstrails-dora-tool-'));
    store = await openStore({ dataDir });
    const org = await store.organizations.ensureDefault();
    const now = Date.parse(TO);
    const events: NewEvent[] = TIMELINE.map((input) => {
      const result = validateEvent(input, now, randomUUID);
      if (!result.ok) throw new Error(result.error);
      return result.event;
    });
    await store.events.insert(org.id, events, now);
    env = { store, orgId: org.id, now, overviews: new OrgOverviews(store) };
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains each figure in a sentence with its counts, and lists why each failed deployment counts', async () => {
    const answer = await runTool(getDoraMetrics, { from: FROM, to: TO }, env);
    const explanations = answer.data.explanations as Record<string, string>;
    expect(explanations.deploymentFrequency).toBe(
      '10 deployments to PRODUCTION in 30 days (0.3333 a day; 1 in the period before). Band high. Rollbacks are not deployments.',
    );
    expect(explanations.leadTime).toMatch(
      /^Median 14 h \(p90 24 h\) from commit to production over 6 deployments with commit data .*; 4 had none and are counted as unknown, never guessed\. Band elite\.$/,
    );
    expect(explanations.changeFailureRate).toMatch(
      /^4 of 10 deployments failed \(40%; 0% before\)\. .* 4h failure window .* Band low\.$/,
    );
    expect(explanations.timeToRestore).toMatch(/^Median 2\.5 h \(p90 24 h\) over 4 restored failures/);
    expect(explanations.reworkRate).toMatch(/^2 of 10 deployments were unplanned fixes \(20%\)/);
    const failed = (
      answer.data.changeFailureRate as { failedDeployments: { id: string; evidence: string }[] }
    ).failedDeployments;
    expect(failed.map((f) => [f.id, f.evidence])).toEqual([
      ['d2', 'linked'],
      ['d3', 'rollback'],
      ['d5', 'rollback'],
      ['d8', 'window'],
    ]);
    expect(answer.text).toContain('failed: d8 (BE V7) window: incident inc2 on PRODUCTION 30 min after it');
  });

  it('suggests the events behind a bad change failure rate', async () => {
    const answer = await runTool(getDoraMetrics, { from: FROM, to: TO }, env);
    expect(answer.next).toEqual([
      {
        tool: 'get_event',
        arguments: { id: 'd2', source: 'BE' },
        reason: 'a failed deployment (linked evidence: incident inc1 names it in causationid)',
      },
      {
        tool: 'what_changed',
        arguments: { eventId: 'inc1', source: 'pagerduty' },
        reason: 'what else changed before the incident that revealed d2',
      },
    ]);
  });

  it('shows the first failed deployments of a long list and where all of them are', async () => {
    // Every two hours from June 10; each incident names its deployment half an hour after it.
    const at = (i: number, minutes = 0) =>
      new Date(Date.parse('2026-06-10T00:00:00Z') + i * 7_200_000 + minutes * 60_000).toISOString();
    const inputs = Array.from({ length: 25 }, (_, i) => [
      {
        specversion: '1.0',
        id: `mcap-${i}`,
        type: 'deployment',
        source: 'BE',
        subject: 'MCPCAP',
        time: at(i),
      },
      {
        specversion: '1.0',
        id: `mcap-incident-${i}`,
        type: 'incident',
        source: 'pagerduty',
        subject: 'MCPCAP',
        causationid: `mcap-${i}`,
        time: at(i, 30),
      },
    ]).flat();
    const events = inputs.map((input) => {
      const result = validateEvent(input, env.now, randomUUID);
      if (!result.ok) throw new Error(result.error);
      return result.event;
    });
    await env.store.events.insert(env.orgId, events, env.now);
    const answer = await runTool(
      getDoraMetrics,
      { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z', subject: 'MCPCAP' },
      env,
    );
    const cfr = answer.data.changeFailureRate as {
      failed: number;
      failedDeployments: unknown[];
      lists: { failedDeployments: { total: number; href: string } };
    };
    expect(cfr.failed).toBe(25);
    expect(cfr.failedDeployments).toHaveLength(20);
    expect(cfr.lists.failedDeployments.total).toBe(25);
    const href =
      '/api/v1/dora/events?metric=changeFailureRate&from=2026-06-01T00%3A00%3A00.000Z&to=2026-07-01T00%3A00%3A00.000Z&subject=MCPCAP';
    expect(cfr.lists.failedDeployments.href).toBe(href);
    expect(answer.text).toContain(`…all 25 failed deployments, a page at a time: GET ${href}`);
    expect(answer.text.match(/^ {2}failed: /gm)).toHaveLength(20);
  });

  it('names the argument at fault', async () => {
    await expect(runTool(getDoraMetrics, { from: TO, to: FROM }, env)).rejects.toThrow(
      'from: must be before to; swap them',
    );
    await expect(runTool(getDoraMetrics, { period: 'year' }, env)).rejects.toThrow();
  });
});
