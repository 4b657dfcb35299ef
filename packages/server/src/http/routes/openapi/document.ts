/**
 * The OpenAPI 3.1 document of every route (extended API section 8). Paths come from the routes
 * Fastify registers (an `onRoute` hook sees each one), so a route cannot be left out; request
 * bodies come from the zod schemas the routes validate with (`z.toJSONSchema`), for the routes
 * listed in `BODIES`, each importing the same schema object its handler parses. Every POST, PUT
 * and PATCH route is in `BODIES`, or in `OTHER_BODIES` saying why not (test/openapi.test.ts).
 */
import { EventInputSchema } from '@opstrails/core';
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import {
  IntegrationCreateBody,
  IntegrationUpdateBody,
  MappingCreateBody,
  MappingUpdateBody,
} from '../../../integrations/bodies.js';
import { ApproveBody } from '../oauth/consent-approve.js';
import { DeleteAccountBody } from '../v1/account/delete.js';
import { ChannelCreateBody, ChannelUpdateBody } from '../v1/channels/input.js';
import { CheckCreateSchema, CheckUpdateSchema } from '../v1/checks/input.js';
import { ContextBody } from '../v1/context/put.js';
import { DoraSettingsBody } from '../v1/dora/settings-update.js';
import { ForwardingBody } from '../v1/forwarding/input.js';
import { FreezeBody, FreezePatchBody, PolicyBody, PolicyPatchBody } from '../v1/guardrails/bodies.js';
import { AcceptBody } from '../v1/invites/accept.js';
import { InviteBody } from '../v1/invites/create.js';
import { PeekInviteBody } from '../v1/invites/peek.js';
import { CreateKeyBody } from '../v1/keys/create.js';
import { RoleBody } from '../v1/members/update.js';
import { MetricSettingsBody } from '../v1/metrics/update.js';
import { MetricsWebhookBody } from '../v1/metrics/webhook.js';
import { NotificationSettingsBody } from '../v1/notifications/settings-put.js';
import { CreateOrganizationBody } from '../v1/organizations/create.js';
import { DeleteOrganizationBody } from '../v1/organizations/delete.js';
import { PeekResetBody } from '../v1/password-reset/peek.js';
import { RequestResetBody } from '../v1/password-reset/request.js';
import { UseResetBody } from '../v1/password-reset/use.js';
import { CreateReceiverBody } from '../v1/receivers/create.js';
import { RotateReceiverBody } from '../v1/receivers/rotate.js';
import { LoginBody } from '../v1/session/create.js';
import { SwitchBody } from '../v1/session/update.js';
import { SetupBody } from '../v1/setup/create.js';

/**
 * Request bodies by `METHOD path` (the path as registered, `:param`): the schemas the handlers
 * validate with. A new route with a body: export the zod schema its handler passes to
 * `parseBody` and add it here.
 */
export const BODIES: Record<string, z.ZodType> = {
  'POST /api/v1/events': z.union([EventInputSchema, z.array(EventInputSchema)]),
  'POST /api/v1/checks': CheckCreateSchema,
  'PATCH /api/v1/checks/:id': CheckUpdateSchema,
  'POST /api/v1/password-reset': UseResetBody,
  'POST /api/v1/password-reset/request': RequestResetBody,
  'POST /api/v1/password-reset/peek': PeekResetBody,
  'DELETE /api/v1/organizations/:id': DeleteOrganizationBody,
  'DELETE /api/v1/account': DeleteAccountBody,
  'POST /api/v1/setup': SetupBody,
  'POST /api/v1/session': LoginBody,
  'PUT /api/v1/session': SwitchBody,
  'POST /api/v1/organizations': CreateOrganizationBody,
  'POST /api/v1/keys': CreateKeyBody,
  'PATCH /api/v1/members/:userId': RoleBody,
  'POST /api/v1/invites': InviteBody,
  'POST /api/v1/invites/peek': PeekInviteBody,
  'POST /api/v1/invites/accept': AcceptBody,
  'POST /api/v1/oauth/requests/:id/approve': ApproveBody,
  // Checked by hand for their messages; the fields they accept are these schemas' own.
  'POST /api/v1/guardrails/freezes': FreezeBody,
  'PATCH /api/v1/guardrails/freezes/:id': FreezePatchBody,
  'POST /api/v1/guardrails/policies': PolicyBody,
  'PATCH /api/v1/guardrails/policies/:id': PolicyPatchBody,
  'POST /api/v1/forwarding': ForwardingBody,
  'PATCH /api/v1/forwarding/:id': ForwardingBody.partial(),
  'PUT /api/v1/context': ContextBody,
  'PATCH /api/v1/dora/settings': DoraSettingsBody,
  'PUT /api/v1/notifications/settings': NotificationSettingsBody,
  'POST /api/v1/receivers/:id/rotate': RotateReceiverBody,
  'POST /api/v1/channels': ChannelCreateBody,
  'PATCH /api/v1/channels/:id': ChannelUpdateBody,
  'PATCH /api/v1/metrics/:name': MetricSettingsBody,
  'POST /api/v1/receivers': CreateReceiverBody,
  'POST /api/v1/integrations': IntegrationCreateBody,
  'PATCH /api/v1/integrations/:id': IntegrationUpdateBody,
  'POST /api/v1/metrics/mappings': MappingCreateBody,
  'PATCH /api/v1/metrics/mappings/:id': MappingUpdateBody,
  'POST /api/v1/metrics/webhook': MetricsWebhookBody,
};

/**
 * POST, PUT and PATCH routes whose body is not one of ours to describe with a schema, or that
 * take none; `* path` stands for every method of the path. Each says why.
 */
export const OTHER_BODIES: Record<string, string> = {
  '* /api/mcp/mcp': 'MCP Streamable HTTP: JSON-RPC messages as the MCP specification defines them',
  'POST /api/v1/otlp/traces':
    'OTLP/HTTP: ExportTraceServiceRequest, protobuf or JSON (OpenTelemetry specification)',
  'POST /api/v1/otlp/v1/traces':
    'OTLP/HTTP: ExportTraceServiceRequest, protobuf or JSON (OpenTelemetry specification)',
  'POST /api/v1/receivers/:kind/:id': "a provider's own webhook payload, as that provider sends it",
  'POST /oauth/token': 'OAuth 2.1 token request, application/x-www-form-urlencoded (RFC 6749 section 4.1.3)',
  'POST /oauth/revoke': 'OAuth token revocation, application/x-www-form-urlencoded (RFC 7009)',
  'POST /oauth/register': 'OAuth dynamic client registration metadata (RFC 7591)',
  'POST /api/v1/oauth/requests/:id/deny': 'no body',
  'POST /api/v1/channels/:id/test': 'no body',
  'POST /api/v1/integrations/:id/test': 'no body',
  'POST /api/v1/members/:userId/reset-link': 'no body',
};

/**
 * Routes whose handlers check their bodies by hand (no zod schema yet to export): the document
 * says only that they take a JSON object. Moving one to a zod schema removes it from here.
 */
export const HAND_CHECKED_BODIES: Record<string, string> = {};

export interface RouteEntry {
  method: string;
  url: string;
}

/** Collects what `onRoute` reports; HEAD routes Fastify adds for GETs are left out. */
export function routeEntries(route: RouteOptions): RouteEntry[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.filter((m) => m !== 'HEAD').map((method) => ({ method, url: route.url }));
}

/** `/api/v1/events/:id` -> `/api/v1/events/{id}`, with its path parameters. */
function openApiPath(url: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = url.replace(/:(\w+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

const envelope = {
  success: {
    description: 'Success: `{ "success": true, "data": ... }`',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Success' } } },
  },
  failure: {
    description: 'Failure: `{ "success": false, "error": "<message naming the field>", "code": "<CODE>" }`',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } },
  },
};

export function buildDocument(
  routes: RouteEntry[],
  serverUrl: string,
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url } of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const { path, params } = openApiPath(url);
    const tag = url.startsWith('/api/v1/') ? (url.split('/')[3] ?? 'api') : url.split('/')[1] || 'console';
    const key = `${method} ${url}`;
    const body = BODIES[key];
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
      tags: [tag],
      ...(params.length > 0
        ? {
            parameters: params.map((name) => ({
              name,
              in: 'path',
              required: true,
              schema: { type: 'string' },
            })),
          }
        : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) },
              },
            },
          }
        : HAND_CHECKED_BODIES[key]
          ? {
              requestBody: {
                required: true,
                description: 'A JSON object; its fields are listed in docs/api.md.',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            }
          : {}),
      responses: { '200': envelope.success, default: envelope.failure },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpsTrails API',
      version,
      description:
        'The OpsTrails HTTP API: CloudEvents in, queries, live feed, configuration. Authentication: `Authorization: Bearer <key>` or a console session.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key, `ot_…`' } },
      schemas: {
        Success: {
          type: 'object',
          required: ['success', 'data'],
          properties: { success: { const: true }, data: {} },
        },
        Failure: {
          type: 'object',
          required: ['success', 'error', 'code'],
          properties: { success: { const: false }, error: { type: 'string' }, code: { type: 'string' } },
        },
      },
    },
    paths,
  };
}
