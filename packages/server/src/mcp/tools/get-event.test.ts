import { validateEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getEvent } from './get-event.js';

describe('get_event', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returns the event and suggests what to look at around it (metrics only where a subject has some)', async () => {
    const answer = await runTool(getEvent, { id: 'be-prd-250' }, t.env);
    expect(answer.data.event).toMatchObject({ id: 'be-prd-250', source: 'BE', version: '2.5.0' });
    // No analytics provider is connected, so no subject has metrics to compare.
    expect(answer.next.map((n) => n.tool)).toEqual(['what_changed', 'get_promotion_path']);
  });

  it('needs an id', async () => {
    await expect(runTool(getEvent, {}, t.env)).rejects.toThrow();
  });

  it('shows the CloudEvents extension attributes, in the data and the text', async () => {
    const sent = validateEvent(
      {
        specversion: '1.0',
        id: 'linked-1',
        type: 'deployment',
        source: 'BE',
        time: '2026-11-14T02:00:00Z',
        correlationid: 'change-9',
        sequence: 4,
      },
      t.env.now,
      () => 'unused',
    );
    if (!sent.ok) throw new Error(sent.error);
    await t.env.store.events.insert(t.env.orgId, [sent.event], t.env.now);
    const answer = await runTool(getEvent, { id: 'linked-1' }, t.env);
    expect(answer.data.event).toMatchObject({ id: 'linked-1', correlationid: 'change-9', sequence: 4 });
    expect(answer.text).toContain('{correlationid: change-9, sequence: 4}');
  });
});
