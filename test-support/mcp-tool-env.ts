/**
 * For the unit tests beside each MCP tool: a real SQLite store in a temporary directory holding
 * the MCP fixture, and a runner that validates arguments the way the MCP SDK does before the handler.
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, validateEvent } from '@opstrails/core';
import { OrgOverviews } from '../packages/server/src/mcp/org-overview.js';
import { type Tool, type ToolAnswer, type ToolEnv, ToolInputError } from '../packages/server/src/mcp/tool.js';
import { openStore, type Store } from '../packages/server/src/store/store.js';
import { FIXTURE_CONTEXT, FIXTURE_EVENTS } from './mcp-fixture.js';

export interface ToolTestEnv {
  env: ToolEnv;
  close(): Promise<void>;
}

/**
 * `seed` replaces the fixture's events with others (e.g. the answer budget's worst case,
 * mcp-worst-case.ts), seen at `now`.
 */
export async function fixtureToolEnv(
  options: { context?: boolean; seed?: (store: Store, orgId: string) => Promise<void>; now?: number } = {},
): Promise<ToolTestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-tool-'));
  const store = await openStore({ dataDir });
  const org = await store.organizations.ensureDefault();
  const now = options.now ?? Date.parse('2026-11-14T03:00:00Z');
  if (options.seed) await options.seed(store, org.id);
  else {
    const events: NewEvent[] = FIXTURE_EVENTS.map((input) => {
      const result = validateEvent(input, now, randomUUID);
      if (!result.ok) throw new Error(result.error);
      return result.event;
    });
    await store.events.insert(org.id, events, now);
  }
  if (options.context !== false) await store.organizations.setContext(org.id, FIXTURE_CONTEXT);
  return {
    env: { store, orgId: org.id, now, overviews: new OrgOverviews(store) },
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a tool as the MCP server would: schema check first (its message becomes the error), then the handler. */
export async function runTool(
  tool: Tool,
  args: Record<string, unknown>,
  env: ToolEnv,
): Promise<ToolAnswer<Record<string, unknown>>> {
  const parsed = tool.inputSchema.safeParse(args);
  if (!parsed.success) throw new ToolInputError(parsed.error.issues.map((i) => i.message).join('; '));
  const answer = await tool.run(parsed.data, env);
  tool.outputSchema.parse({ ...answer.data, suggested_next: answer.next });
  return answer;
}
