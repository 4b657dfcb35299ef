/**
 * GitLab project or group webhooks: `X-Gitlab-Token` carries the secret token set on the hook;
 * `X-Gitlab-Event-UUID` names the delivery. Kept: deployment events (running, success, failed,
 * canceled) and release events (create, update).
 */
import { NotTheToolError, type ReceiverKind } from './kind.js';
import { isoTime, object, required, text } from './payload.js';
import { header, sameText } from './verify.js';

const TOOL = 'GitLab';

function deployment(payload: Record<string, unknown>) {
  const status = required(payload, 'status', TOOL, 'deployment event');
  const failed = status === 'failed';
  return {
    type: 'deployment',
    source: text(payload, 'project.path_with_namespace') ?? text(payload, 'project.name'),
    subject: required(payload, 'environment', TOOL, 'deployment event'),
    time: isoTime(text(payload, 'status_changed_at')),
    version: text(payload, 'commit_url')?.split('/').pop() ?? text(payload, 'short_sha'),
    severity: failed ? ('MAJOR' as const) : null,
    data: {
      status: status === 'success' ? 'success' : status === 'running' ? 'in_progress' : status,
      ref: text(payload, 'ref'),
      deploymentId: text(payload, 'deployment_id'),
      url: text(payload, 'deployable_url') ?? text(payload, 'environment_external_url'),
      commitTitle: text(payload, 'commit_title'),
      author: text(payload, 'user.username') ?? text(payload, 'user.name'),
    },
  };
}

function release(payload: Record<string, unknown>) {
  const tag = required(payload, 'tag', TOOL, 'release event');
  object(payload, 'project', TOOL, 'release event');
  return {
    type: 'release',
    source: text(payload, 'project.path_with_namespace') ?? text(payload, 'project.name'),
    time: isoTime(text(payload, 'released_at') ?? text(payload, 'created_at')),
    version: tag,
    data: {
      status: text(payload, 'action') === 'create' ? 'published' : (text(payload, 'action') ?? 'published'),
      name: text(payload, 'name'),
      url: text(payload, 'url'),
      commit: text(payload, 'commit.id'),
      author: text(payload, 'commit.author.name'),
    },
  };
}

export const gitlab: ReceiverKind = {
  kind: 'gitlab',
  proof: 'X-Gitlab-Token (the secret token of the GitLab webhook)',
  verify(headers, _rawBody, secret) {
    const token = header(headers, 'x-gitlab-token');
    return token !== null && sameText(token, secret);
  },
  deliveryId: (headers) => header(headers, 'x-gitlab-event-uuid') ?? header(headers, 'idempotency-key'),
  map(payload) {
    const kind = text(payload, 'object_kind');
    if (!kind) throw new NotTheToolError('this is not a GitLab webhook payload: it has no "object_kind"');
    if (kind === 'deployment') return { events: [deployment(payload)] };
    if (kind === 'release') {
      if (text(payload, 'action') === 'delete')
        return { ignored: 'release deleted (create and update are recorded)' };
      return { events: [release(payload)] };
    }
    return { ignored: `${kind} events are not recorded (deployment and release are)` };
  },
};
