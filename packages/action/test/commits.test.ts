/**
 * The action's commit extraction from real GitHub event payloads (fixtures/: octokit/webhooks
 * payload examples, MIT, copied unchanged), and from payloads derived from them for the cases
 * the examples lack (a long push, an empty commit list beside a head commit).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commitsFromPayload, commitsInput } from '../src/commits.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8'));

const HEAD = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

describe('commits from the workflow event payload', () => {
  it('push: each commit of commits[] with its id, timestamp and message', () => {
    expect(commitsFromPayload('push', fixture('push.payload.json'))).toEqual({
      commits: [{ sha: HEAD, time: '2019-05-15T15:19:25Z', message: 'Initial commit' }],
      total: 1,
      data: {},
    });
  });

  it('push with an empty commit list: the head commit; a deleted tag: nothing', () => {
    const push = fixture('push.payload.json');
    expect(commitsFromPayload('push', { ...push, commits: [] }).commits).toEqual([
      { sha: HEAD, time: '2019-05-15T15:19:25Z', message: 'Initial commit' },
    ]);
    expect(commitsFromPayload('push', fixture('push-tag-deleted.payload.json'))).toEqual({
      total: 0,
      data: {},
    });
  });

  it('a long push: 30 commits spread over it (first and last kept), messages cut to their first line', () => {
    const push = fixture('push.payload.json');
    const [template] = push.commits as Record<string, unknown>[];
    const commits = Array.from({ length: 45 }, (_, i) => ({
      ...template,
      id: `${i}`.padStart(40, '0'),
      timestamp: new Date(Date.UTC(2026, 10, 1, i)).toISOString(),
      message: `Change ${i}: ${'x'.repeat(80)}\n\nA body that is not sent`,
    }));
    const got = commitsFromPayload('push', { ...push, commits });
    expect(got.total).toBe(45);
    expect(got.commits).toHaveLength(30);
    expect(got.commits?.[0]?.sha).toBe(`${0}`.padStart(40, '0'));
    expect(got.commits?.[29]?.sha).toBe(`${44}`.padStart(40, '0'));
    expect(got.commits?.[0]?.message).toBe(`Change 0: ${'x'.repeat(49)}…`);
    expect(got.commits?.every((c) => (c.message as string).length <= 60)).toBe(true);
  });

  it('pull_request: no commit times in the payload, so only the head SHA and the number', () => {
    expect(commitsFromPayload('pull_request', fixture('pull-request.payload.json'))).toEqual({
      total: 0,
      data: { headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', pullRequest: 2 },
    });
    expect(commitsFromPayload('workflow_dispatch', fixture('push.payload.json'))).toEqual({
      total: 0,
      data: {},
    });
  });

  it('the commits input: auto, none, a JSON list, or a message naming the fix', () => {
    const env = {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: fileURLToPath(new URL('./fixtures/push.payload.json', import.meta.url)),
    };
    expect(commitsInput('', env).commits?.[0]?.sha).toBe(HEAD);
    expect(commitsInput('none', env)).toEqual({ total: 0, data: {} });
    expect(commitsInput('[{"sha":"a","time":"2026-11-24T10:02:00Z"}]', env).commits).toEqual([
      { sha: 'a', time: '2026-11-24T10:02:00Z' },
    ]);
    expect(() => commitsInput('{"sha":"a"}', env)).toThrow(
      /^Input commits must be auto, none or a JSON list/,
    );
    expect(() => commitsInput('latest', env)).toThrow(/^Input commits is not auto, none or valid JSON/);
    expect(
      commitsInput('auto', { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/nonexistent/event.json' }),
    ).toEqual({
      total: 0,
      data: {},
    });
  });
});
