/**
 * The organization's resources: its business context (what its subjects, sources and types
 * mean, its rules) and its overview (the same prose the server instructions carry: plan,
 * quota, vocabulary seen, business context). Their URIs carry the organization id, so a change
 * notification names exactly one organization's resource and a client can only listen to its own.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { contextOrTemplate } from '../../domain/context-template.js';
import { renderInstructions } from '../instructions.js';
import type { ToolEnv } from '../tool.js';

export const contextUri = (orgId: string) => `opstrails://org/${orgId}/business-context`;
export const overviewUri = (orgId: string) => `opstrails://org/${orgId}/overview`;

/** Every resource of this organization a client may subscribe to. */
export const subscribableUris = (orgId: string) => [contextUri(orgId), overviewUri(orgId)];

export const TEMPLATE_NOTE =
  'No business context has been written yet (PUT /api/v1/context, or the console settings). Below is the TEMPLATE that shows what one looks like; it does NOT describe this organization.';

export function registerOrgResources(server: McpServer, env: Omit<ToolEnv, 'now'>): void {
  const context = contextUri(env.orgId);
  server.registerResource(
    'business-context',
    context,
    {
      title: 'Business context',
      description:
        "What this organization's subjects, sources and event types mean and the rules it works by (deploy windows, couplings), as its people wrote it. Subscribe to hear when it is edited.",
      mimeType: 'text/markdown',
    },
    async () => {
      const stored = await env.store.organizations.getContext(env.orgId);
      const { context: text, isTemplate } = contextOrTemplate(stored.context);
      return {
        contents: [
          {
            uri: context,
            mimeType: 'text/markdown',
            text: isTemplate ? `${TEMPLATE_NOTE}\n\n${text}` : text,
            _meta: { isTemplate, updatedAt: stored.updatedAt },
          },
        ],
      };
    },
  );
  const overview = overviewUri(env.orgId);
  server.registerResource(
    'organization-overview',
    overview,
    {
      title: 'Organization overview',
      description:
        'Plan limits, retention, this month’s quota use, what each event field means, the subjects, sources and types seen, and the business context. Subscribe to hear when new events change it (at most every 30 seconds).',
      mimeType: 'text/plain',
    },
    async () => ({
      contents: [
        {
          uri: overview,
          mimeType: 'text/plain',
          text: renderInstructions(await env.overviews.get(env.orgId)),
        },
      ],
    }),
  );
}

/**
 * The URIs of a `subscriptions/listen` request that are not this organization's resources
 * (another organization's, or none at all); empty when the request is not a listen or asks
 * for nothing foreign. Checked before the SDK opens the stream: its router filters by URI only.
 */
function foreignSubscriptions(body: unknown, orgId: string): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const own = new Set(subscribableUris(orgId));
  const foreign: string[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null || (m as { method?: unknown }).method !== 'subscriptions/listen')
      continue;
    const uris = (m as { params?: { notifications?: { resourceSubscriptions?: unknown } } }).params
      ?.notifications?.resourceSubscriptions;
    if (!Array.isArray(uris)) continue;
    for (const uri of uris) if (!own.has(String(uri))) foreign.push(String(uri));
  }
  return foreign;
}

/** The JSON-RPC error answering a listen that names foreign resources, or null when it names none. */
export function listenRefusal(body: unknown, orgId: string): Record<string, unknown> | null {
  const foreign = foreignSubscriptions(body, orgId);
  if (foreign.length === 0) return null;
  return {
    jsonrpc: '2.0',
    error: {
      code: -32602,
      message: `Invalid params: resourceSubscriptions: ${foreign.map((u) => `"${u}"`).join(', ')} is not a resource of this organization; subscribe to the URIs resources/list gives`,
    },
    id: (Array.isArray(body) ? null : (body as { id?: unknown }).id) ?? null,
  };
}
