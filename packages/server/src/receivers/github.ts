/**
 * GitHub repository or organization webhooks (content type application/json), signed with
 * `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>`; `X-GitHub-Delivery` names the delivery.
 * Kept: `deployment_status`, `release` published, `workflow_run` completed on a deploy workflow
 * (its name or file names "deploy" or "release"). Other events GitHub sends are acknowledged.
 */
import { NotTheToolError, type ReceiverKind } from './kind.js';
import { isoTime, object, required, text } from './payload.js';
import { header, hmacHex, sameText } from './verify.js';

const TOOL = 'GitHub';
const DEPLOY_WORKFLOW = /deploy|release/i;

function deploymentStatus(payload: Record<string, unknown>) {
  const status = object(payload, 'deployment_status', TOOL, 'deployment_status event');
  const deployment = object(payload, 'deployment', TOOL, 'deployment_status event');
  const state = required(status, 'state', TOOL, 'deployment_status event');
  const failed = state === 'failure' || state === 'error';
  return {
    type: 'deployment-status',
    source: text(payload, 'repository.full_name'),
    subject: text(status, 'environment') ?? text(deployment, 'environment'),
    time: isoTime(text(status, 'updated_at') ?? text(status, 'created_at')),
    version: text(deployment, 'sha'),
    severity: failed ? ('MAJOR' as const) : null,
    data: {
      status: state === 'in_progress' || state === 'queued' || state === 'pending' ? 'in_progress' : state,
      ref: text(deployment, 'ref'),
      deploymentId: text(deployment, 'id'),
      description: text(status, 'description')?.slice(0, 1000) ?? null,
      url: text(status, 'target_url') ?? text(status, 'log_url') ?? text(status, 'environment_url'),
      author: text(status, 'creator.login') ?? text(payload, 'sender.login'),
    },
  };
}

function release(payload: Record<string, unknown>) {
  const rel = object(payload, 'release', TOOL, 'release event');
  const tag = required(rel, 'tag_name', TOOL, 'release event');
  return {
    type: 'release',
    source: text(payload, 'repository.full_name'),
    time: isoTime(text(rel, 'published_at') ?? text(rel, 'created_at')),
    version: tag,
    data: {
      status: 'published',
      name: text(rel, 'name'),
      url: text(rel, 'html_url'),
      prerelease: rel.prerelease === true,
      author: text(rel, 'author.login') ?? text(payload, 'sender.login'),
    },
  };
}

function workflowRun(payload: Record<string, unknown>) {
  const run = object(payload, 'workflow_run', TOOL, 'workflow_run event');
  const name = text(run, 'name') ?? '';
  const path = text(run, 'path') ?? text(payload, 'workflow.path') ?? '';
  if (!DEPLOY_WORKFLOW.test(name) && !DEPLOY_WORKFLOW.test(path)) return null;
  const conclusion = required(run, 'conclusion', TOOL, 'completed workflow_run event');
  const failed = conclusion !== 'success';
  return {
    type: 'deployment',
    source: text(payload, 'repository.full_name'),
    time: isoTime(text(run, 'updated_at')),
    version: text(run, 'head_sha'),
    severity: failed ? ('MAJOR' as const) : null,
    data: {
      status: conclusion === 'success' ? 'success' : 'failed',
      conclusion,
      workflow: name || path,
      branch: text(run, 'head_branch'),
      url: text(run, 'html_url'),
      author: text(run, 'actor.login') ?? text(payload, 'sender.login'),
    },
  };
}

export const github: ReceiverKind = {
  kind: 'github',
  proof: 'X-Hub-Signature-256 (sha256=HMAC-SHA256 of the body with the receiver secret)',
  verify(headers, rawBody, secret) {
    const signature = header(headers, 'x-hub-signature-256');
    return signature !== null && sameText(signature, `sha256=${hmacHex(secret, rawBody)}`);
  },
  deliveryId: (headers) => header(headers, 'x-github-delivery'),
  map(payload, headers) {
    const event = header(headers, 'x-github-event');
    if (!event)
      throw new NotTheToolError('this is not a GitHub webhook delivery: it has no X-GitHub-Event header');
    const action = text(payload, 'action');
    if (event === 'deployment_status') return { events: [deploymentStatus(payload)] };
    if (event === 'release') {
      if (action !== 'published') return { ignored: `release ${action ?? ''} (only published is recorded)` };
      return { events: [release(payload)] };
    }
    if (event === 'workflow_run') {
      if (action !== 'completed')
        return { ignored: `workflow_run ${action ?? ''} (only completed is recorded)` };
      const mapped = workflowRun(payload);
      return mapped
        ? { events: [mapped] }
        : { ignored: 'workflow_run of a workflow whose name or file does not say deploy or release' };
    }
    return { ignored: `${event} events are not recorded (deployment_status, release, workflow_run are)` };
  },
};
