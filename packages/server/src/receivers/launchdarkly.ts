/**
 * LaunchDarkly webhooks (signed): the audit log entry, `X-LD-Signature` = hex HMAC-SHA256 of the
 * body with the webhook secret; the entry's `_id` names the delivery. A flag change in one
 * environment is one `feature-flag` event; other audit entries (members, projects) are acknowledged.
 */
import type { MappedEvent, ReceiverKind } from './kind.js';
import { isObject, required, text } from './payload.js';
import { header, hmacHex, sameText } from './verify.js';

const TOOL = 'LaunchDarkly';

/** `proj/default:env/production:flag/new-checkout` -> {project, env, flag}. */
function parseResource(resource: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const piece of resource.split(':')) {
    const [kind, key] = piece.split('/', 2);
    if (kind && key) parts[kind] = key.replace(/;.*$/, '');
  }
  return parts;
}

export const launchdarkly: ReceiverKind = {
  kind: 'launchdarkly',
  proof: 'X-LD-Signature (hex HMAC-SHA256 of the body with the webhook secret)',
  verify(headers, rawBody, secret) {
    const signature = header(headers, 'x-ld-signature');
    return signature !== null && sameText(signature, hmacHex(secret, rawBody));
  },
  deliveryId: (_headers, payload) => text(payload, '_id'),
  map(payload) {
    required(payload, '_id', TOOL, 'webhook (audit log entry)');
    const kind = required(payload, 'kind', TOOL, 'webhook (audit log entry)');
    if (kind !== 'flag')
      return { ignored: `audit log entries of kind ${kind} are not recorded (flag changes are)` };
    const accesses = Array.isArray(payload.accesses) ? payload.accesses.filter(isObject) : [];
    const resources = accesses.map((a) => text(a, 'resource')).filter((r): r is string => r !== null);
    const targets = Array.isArray((payload.target as { resources?: unknown } | undefined)?.resources)
      ? ((payload.target as { resources: unknown[] }).resources.filter(
          (r) => typeof r === 'string',
        ) as string[])
      : [];
    const parsed = [...resources, ...targets].map(parseResource).find((r) => r.flag) ?? {};
    const flag =
      text(payload, 'currentVersion.key') ?? parsed.flag ?? required(payload, 'name', TOOL, 'flag change');
    const env = parsed.env ?? null;
    const envState = (version: string) =>
      env ? (payload[version] as Record<string, unknown> | undefined) : undefined;
    const onIn = (version: string) => {
      const state = envState(version);
      const on =
        state && isObject(state.environments)
          ? (state.environments[env as string] as { on?: unknown } | undefined)?.on
          : undefined;
      return typeof on === 'boolean' ? on : null;
    };
    const member = isObject(payload.member) ? payload.member : {};
    const author =
      text(member, 'email') ??
      [text(member, 'firstName'), text(member, 'lastName')].filter(Boolean).join(' ') ??
      null;
    const event: MappedEvent = {
      type: 'feature-flag',
      source: parsed.proj ? `launchdarkly/${parsed.proj}` : null,
      subject: env,
      time: typeof payload.date === 'number' ? payload.date : null,
      data: {
        flag,
        environment: env,
        previous: onIn('previousVersion'),
        value: onIn('currentVersion'),
        action:
          accesses
            .map((a) => text(a, 'action'))
            .filter(Boolean)
            .join(', ') || null,
        description: (text(payload, 'title') ?? text(payload, 'description'))?.slice(0, 1000) ?? null,
        author: author || null,
      },
    };
    return { events: [event] };
  },
};
