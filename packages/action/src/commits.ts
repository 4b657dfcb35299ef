/**
 * The commits a workflow run ships, read from the event that started it (the JSON file at
 * GITHUB_EVENT_PATH), for lead time (docs/dora.md):
 * - push: `commits[]` (`id`, `timestamp`, `message`), or `head_commit` when the list is empty
 *   (a tag push, a force push of known commits); nothing for a deleted branch or tag.
 * - pull_request / pull_request_target: the payload has no commit times (only `head.sha` and
 *   when the pull request was opened), so no commit list is made: the head SHA and the pull
 *   request number go to `data.headSha` / `data.pullRequest` for reference, and lead time stays
 *   unknown unless the `commits` or `commit-time` input gives it.
 * Any other event: nothing.
 */
import { readFileSync } from 'node:fs';
import { type Commit, fitCommits } from '@opstrails/sdk';

export interface WorkflowCommits {
  commits?: Commit[];
  /** How many the payload listed (more than `commits` when a sample was kept). */
  total: number;
  /** Extra data fields (pull requests). */
  data: Record<string, unknown>;
}

interface PayloadCommit {
  id?: unknown;
  timestamp?: unknown;
  message?: unknown;
}

const asCommit = (c: PayloadCommit): Commit | null =>
  typeof c?.id === 'string' && typeof c.timestamp === 'string'
    ? { sha: c.id, time: c.timestamp, message: typeof c.message === 'string' ? c.message : '' }
    : null;

/** What the event payload says about the commits shipped. */
export function commitsFromPayload(eventName: string, payload: Record<string, unknown>): WorkflowCommits {
  if (eventName === 'push') {
    const listed = Array.isArray(payload.commits) ? (payload.commits as PayloadCommit[]) : [];
    const head = payload.head_commit as PayloadCommit | null | undefined;
    const all = (listed.length > 0 ? listed : head ? [head] : [])
      .map(asCommit)
      .filter((c): c is Commit => c !== null);
    if (all.length === 0) return { total: 0, data: {} };
    const fitted = fitCommits(all);
    return { commits: fitted.commits, total: fitted.total, data: {} };
  }
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = payload.pull_request as { number?: unknown; head?: { sha?: unknown } } | undefined;
    const data: Record<string, unknown> = {};
    if (typeof pr?.head?.sha === 'string') data.headSha = pr.head.sha;
    if (typeof pr?.number === 'number') data.pullRequest = pr.number;
    return { total: 0, data };
  }
  return { total: 0, data: {} };
}

/** Reads the workflow's event payload; an unreadable one gives no commits (the event is still sent). */
export function commitsOfWorkflow(env: NodeJS.ProcessEnv): WorkflowCommits {
  const path = env.GITHUB_EVENT_PATH;
  if (!path || !env.GITHUB_EVENT_NAME) return { total: 0, data: {} };
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { total: 0, data: {} };
  }
  if (payload === null || typeof payload !== 'object') return { total: 0, data: {} };
  return commitsFromPayload(env.GITHUB_EVENT_NAME, payload as Record<string, unknown>);
}

/** The `commits` input: `auto` (default: from the payload), `none`, or a JSON list of {sha, time, message}. */
export function commitsInput(raw: string, env: NodeJS.ProcessEnv): WorkflowCommits {
  const value = raw === '' ? 'auto' : raw;
  if (value.toLowerCase() === 'auto') return commitsOfWorkflow(env);
  if (value.toLowerCase() === 'none') return { total: 0, data: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(
      `Input commits is not auto, none or valid JSON (${(error as Error).message}); e.g. commits: '[{"sha":"9f1c2e7","time":"2026-11-24T10:02:00Z"}]'`,
    );
  }
  if (!Array.isArray(parsed))
    throw new Error(
      `Input commits must be auto, none or a JSON list, e.g. '[{"sha":"9f1c2e7","time":"2026-11-24T10:02:00Z"}]'`,
    );
  return { commits: parsed as Commit[], total: parsed.length, data: {} };
}
