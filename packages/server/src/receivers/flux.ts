/**
 * Flux notification-controller, Provider type `generic-hmac`: the event JSON signed with
 * `X-Signature: sha256=<HMAC of the body>` keyed by the `token` of the Provider's secret. A
 * Kustomization or HelmRelease reconciled is a deployment; an error event a failed one.
 */
import type { ReceiverKind } from './kind.js';
import { isoTime, object, required, text } from './payload.js';
import { header, hmacHex, sameText } from './verify.js';

const TOOL = 'Flux';
const APPLIERS = new Set(['Kustomization', 'HelmRelease']);

export const flux: ReceiverKind = {
  kind: 'flux',
  proof: 'X-Signature (sha256=HMAC-SHA256 of the body, keyed by the Provider secret token)',
  verify(headers, rawBody, secret) {
    const signature = header(headers, 'x-signature');
    if (!signature) return false;
    const [algorithm, digest] = signature.split('=', 2);
    if (!digest || !['sha1', 'sha256', 'sha384', 'sha512'].includes(algorithm ?? '')) return false;
    return sameText(digest, hmacHex(secret, rawBody, algorithm));
  },
  deliveryId: () => null,
  map(payload) {
    const involved = object(payload, 'involvedObject', TOOL, 'notification-controller event');
    const kind = required(involved, 'kind', TOOL, 'notification-controller event');
    const name = required(involved, 'name', TOOL, 'notification-controller event');
    const reason = required(payload, 'reason', TOOL, 'notification-controller event');
    const failed = text(payload, 'severity') === 'error';
    const revision =
      text(payload, 'metadata.revision') ??
      Object.entries((payload.metadata as Record<string, unknown> | undefined) ?? {}).find(([k]) =>
        k.endsWith('/revision'),
      )?.[1];
    const namespace = text(involved, 'namespace');
    return {
      events: [
        {
          type: APPLIERS.has(kind) ? 'deployment' : 'reconciliation',
          source: `${kind.toLowerCase()}/${namespace ? `${namespace}/` : ''}${name}`,
          subject: namespace,
          time: isoTime(text(payload, 'timestamp')),
          version: typeof revision === 'string' ? revision : null,
          severity: failed ? 'MAJOR' : null,
          data: {
            status: failed ? 'failed' : 'success',
            reason,
            message: text(payload, 'message')?.slice(0, 1000) ?? null,
            controller: text(payload, 'reportingController'),
          },
        },
      ],
    };
  },
};
