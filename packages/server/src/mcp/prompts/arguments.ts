/**
 * The prompt arguments, defined once: each a string (MCP prompt arguments are strings) that
 * completes from the organization's own values (see ../completions.ts).
 */
import { completable } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CompletionField, CompletionValues } from '../completions.js';

export interface PromptEnv {
  orgId: string;
  completions: CompletionValues;
}

const DESCRIPTIONS: Record<CompletionField, string> = {
  subject: 'The environment, e.g. PRODUCTION (any case).',
  source: 'The system, e.g. BE (any case).',
  type: 'The event type, e.g. deployment.',
  version: 'The release or build, e.g. 2.5.0.',
  event_id: 'An event id, e.g. the incident event.',
};

/** A string argument that completes from the organization's values of `field`. */
export function completing(env: PromptEnv, field: CompletionField, description = DESCRIPTIONS[field]) {
  return completable(z.string().describe(description), (typed, context) =>
    env.completions.complete(env.orgId, field, typed ?? '', context?.arguments),
  );
}

export const text = (value: string) => ({
  role: 'user' as const,
  content: { type: 'text' as const, text: value },
});

/** `key "value"` pairs for the tool calls a prompt asks for, leaving out what was not given. */
export function callArgs(args: Record<string, string | undefined>): string {
  const given = Object.entries(args).filter(([, v]) => v !== undefined && v !== '');
  return `{${given.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}}`;
}
