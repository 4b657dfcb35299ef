import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { listEventSubjects } from './list-event-subjects.js';

describe('list_event_subjects', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts each subject', async () => {
    const answer = await runTool(listEventSubjects, {}, t.env);
    expect((answer.data.values as { name: string; count: number }[]).map((v) => [v.name, v.count])).toEqual([
      ['PRODUCTION', 6],
      ['STAGING', 3],
      ['DEVELOPMENT', 1],
    ]);
  });
});
