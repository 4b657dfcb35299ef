/**
 * Builds the MCP server for one request of one organization (stateless: a fresh instance per
 * HTTP request, so any server instance can answer). Every tool is read-only and wrapped the
 * same way: quota first, then the handler; argument mistakes come back as isError results,
 * bugs as an isError result that leaks nothing.
 */

import type { CallToolResult } from '@modelcontextprotocol/server';
import { McpServer } from '@modelcontextprotocol/server';
import { APP_MIME_TYPE, APPS_EXTENSION, registerAppViews, toolUiMeta } from './apps/index.js';
import type { McpCallQuota } from './call-quota.js';
import type { CompletionValues } from './completions.js';
import { registerPrompts } from './prompts/index.js';
import { registerOrgResources } from './resources/org-resources.js';
import { type Tool, type ToolEnv, ToolInputError } from './tool.js';
import { TOOLS } from './tools/index.js';

export const SERVER_INFO = { name: 'opstrails', version: '0.1.0' };

export interface McpDeps {
  quota: McpCallQuota;
  completions: CompletionValues;
  onError(error: unknown, tool: string): void;
}

const failed = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

function renderAnswer(
  text: string,
  next: { tool: string; arguments: Record<string, unknown>; reason: string }[],
): string {
  if (next.length === 0) return text;
  const lines = next.map((n) => `- ${n.tool} ${JSON.stringify(n.arguments)}: ${n.reason}`);
  return `${text}\n\nSuggested next:\n${lines.join('\n')}`;
}

async function call(
  tool: Tool,
  args: unknown,
  env: Omit<ToolEnv, 'now'>,
  deps: McpDeps,
): Promise<CallToolResult> {
  const now = Date.now();
  const refusal = await deps.quota.admit(env.orgId, now);
  if (refusal) return failed(refusal);
  try {
    const answer = await tool.run(args, { ...env, now });
    return {
      content: [{ type: 'text', text: renderAnswer(answer.text, answer.next) }],
      structuredContent: { ...answer.data, suggested_next: answer.next },
    };
  } catch (error) {
    if (error instanceof ToolInputError) return failed(`${tool.name}: ${error.message}`);
    deps.onError(error, tool.name);
    return failed(`${tool.name}: internal error; the server log has the details. Try again or another tool.`);
  }
}

/** What the server instance is built for: the protocol era and, when known, the request's methods. */
export interface McpRequestShape {
  era?: 'modern' | 'legacy';
  /** Resources and prompts are registered only for requests that use them (a fresh server per request). */
  methods?: string[];
}

const RESOURCE_METHODS = ['resources/list', 'resources/templates/list', 'resources/read'];
const PROMPT_METHODS = ['prompts/list', 'prompts/get', 'completion/complete'];

export function createOrgMcpServer(
  env: Omit<ToolEnv, 'now'>,
  deps: McpDeps,
  instructions?: string,
  { era = 'modern', methods }: McpRequestShape = {},
): McpServer {
  const wants = (list: string[]) => methods === undefined || methods.some((m) => list.includes(m));
  const server = new McpServer(SERVER_INFO, {
    ...(instructions ? { instructions } : {}),
    capabilities: {
      // Resource notices travel on 2026-07-28 `subscriptions/listen` streams; a stateless
      // 2025-era HTTP exchange has no stream to carry them, so it is not offered there.
      resources: { subscribe: era === 'modern', listChanged: false },
      prompts: { listChanged: false },
      completions: {},
      extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } },
    },
  });
  for (const tool of TOOLS) {
    const ui = toolUiMeta(tool.name);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: {
          title: tool.title,
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        ...(ui ? { _meta: ui } : {}),
      },
      (args: unknown) => call(tool, args, env, deps),
    );
  }
  // Building the prompts' argument schemas costs more than the rest of the server together.
  if (wants(RESOURCE_METHODS)) {
    registerAppViews(server);
    registerOrgResources(server, env);
  }
  if (wants(PROMPT_METHODS)) registerPrompts(server, { orgId: env.orgId, completions: deps.completions });
  return server;
}
