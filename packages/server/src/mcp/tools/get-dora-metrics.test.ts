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

  it('names the argument at fault', async () => {
    await expect(runTool(getDoraMetrics, { from: TO, to: FROM }, env)).rejects.toThrow(
      'from: must be before to; swap them',
    );
    await expect(runTool(getDoraMetrics, { period: 'year' }, env)).rejects.toThrow();
  });
});
