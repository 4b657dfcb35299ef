/**
 * Argo CD notifications: the webhook service with the template docs/integrations.md ships
 * (`opstrails-app-synced`, `opstrails-sync-failed`, `opstrails-health-degraded`), sending
 * `Authorization: Bearer <secret>`. Argo CD sends no delivery id: the body's digest stands in.
 */
import { NotTheToolError, type ReceiverKind } from './kind.js';
import { isoTime, required, text } from './payload.js';
import { tokenMatches } from './verify.js';

const TOOL = 'Argo CD (OpsTrails template)';
const EVENTS: Record<string, { type: string; status: string; severity: 'MAJOR' | null }> = {
  'app-synced': { type: 'deployment', status: 'success', severity: null },
  'sync-failed': { type: 'deployment', status: 'failed', severity: 'MAJOR' },
  'health-degraded': { type: 'health-degraded', status: 'degraded', severity: 'MAJOR' },
};

/** A template field Argo CD filled in: a missing label renders as `<no value>`, which says nothing. */
function rendered(payload: Record<string, unknown>, field: string): string | null {
  const value = text(payload, field);
  return value === null || value === '<no value>' ? null : value;
}

export const argocd: ReceiverKind = {
  kind: 'argocd',
  proof: 'Authorization: Bearer <receiver secret> (set in the Argo CD webhook service headers)',
  verify: (headers, _rawBody, secret) => tokenMatches(headers, secret),
  deliveryId: () => null,
  map(payload) {
    const event = required(payload, 'event', TOOL, 'notification');
    const app = required(payload, 'app', TOOL, 'notification');
    const known = EVENTS[event];
    if (!known)
      throw new NotTheToolError(
        `event: "${event}" is not one the OpsTrails Argo CD template sends (${Object.keys(EVENTS).join(', ')})`,
      );
    return {
      events: [
        {
          type: known.type,
          source: app,
          subject: rendered(payload, 'environment') ?? rendered(payload, 'namespace'),
          time: isoTime(rendered(payload, 'finishedAt')),
          version: rendered(payload, 'revision'),
          severity: known.severity,
          data: {
            status: known.status,
            syncStatus: text(payload, 'syncStatus'),
            healthStatus: text(payload, 'healthStatus'),
            message: text(payload, 'message')?.slice(0, 1000) ?? null,
            repoURL: text(payload, 'repoURL'),
            project: text(payload, 'project'),
            url: text(payload, 'url'),
            author: text(payload, 'initiatedBy'),
          },
        },
      ],
    };
  },
};
