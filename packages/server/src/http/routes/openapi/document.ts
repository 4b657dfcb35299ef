/**
 * The OpenAPI 3.1 document of every route (extended API section 8). Paths come from the routes
 * Fastify registers (an `onRoute` hook sees each one), so a route cannot be left out; request
 * bodies come from the zod schemas the routes validate with (`z.toJSONSchema`), for the routes
 * listed in `BODIES`, each importing the same schema object its handler parses.
 */
import { EventInputSchema } from '@opstrails/core';
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import { DeleteAccountBody } from '../v1/account/delete.js';
import { CheckCreateSchema, CheckUpdateSchema } from '../v1/checks/input.js';
import { DeleteOrganizationBody } from '../v1/organizations/delete.js';
import { RequestResetBody } from '../v1/password-reset/request.js';
import { UseResetBody } from '../v1/password-reset/use.js';

/** Request bodies by `METHOD path`: the schemas the handlers validate with. */
const BODIES: Record<string, z.ZodType> = {
  'POST /api/v1/events': z.union([EventInputSchema, z.array(EventInputSchema)]),
  'POST /api/v1/checks': CheckCreateSchema,
  'PATCH /api/v1/checks/:id': CheckUpdateSchema,
  'POST /api/v1/password-reset': UseResetBody,
  'POST /api/v1/password-reset/request': RequestResetBody,
  'DELETE /api/v1/organizations/:id': DeleteOrganizationBody,
  'DELETE /api/v1/account': DeleteAccountBody,
};

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
