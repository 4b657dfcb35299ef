/**
 * What a tool is: name, description for the model, strict input schema, output schema and a
 * handler returning structured data, a short text rendering and the suggested next calls.
 * `defineTool` adds what every tool shares (strictness, `suggested_next`, the size budget) in one place.
 */
import { z } from 'zod';
import type { MetricServices } from '../integrations/services.js';
import type { Store } from '../store/store.js';
import { clipToBudget } from './budget.js';
import type { OrgOverviews } from './org-overview.js';
import { type SuggestedCall, suggestedNextSchema } from './schemas.js';

/** A mistake in the arguments (or a question with no answer): reported to the model as an isError result. */
export class ToolInputError extends Error {}

export interface ToolEnv {
  store: Store;
  orgId: string;
  now: number;
  overviews: OrgOverviews;
  /** Metric reading (pushed points and providers), for get_metrics_around_event. */
  metrics?: MetricServices;
}

export interface ToolAnswer<T> {
  data: T;
  text: string;
  next: SuggestedCall[];
}

interface ToolSpec<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  run(args: z.infer<z.ZodObject<I>>, env: ToolEnv): Promise<ToolAnswer<z.infer<z.ZodObject<O>>>>;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  run(args: unknown, env: ToolEnv): Promise<ToolAnswer<Record<string, unknown>>>;
}

/** An input schema that refuses unknown arguments with a message naming them and the right ones. */
export function strictInput<I extends z.ZodRawShape>(shape: I): z.ZodObject<I, z.core.$strict> {
  const names = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `unknown argument ${keys}: ${names.length > 0 ? `this tool takes ${names.join(', ')}` : 'this tool takes no arguments'}`;
    },
  });
}

type JsonSchemaOptions = { target: string };
interface StandardJson {
  validate: unknown;
  jsonSchema: { input(o: JsonSchemaOptions): unknown; output(o: JsonSchemaOptions): unknown };
}

/**
 * The same schema, with its JSON Schema rendering computed once: the SDK renders a tool's
 * schemas on every tools/list and tools/call, and a fresh server is built per request.
 */
export function withCachedJsonSchema<T extends z.ZodType>(schema: T): T {
  const standard = (schema as unknown as { '~standard': StandardJson })['~standard'];
  const cache = new Map<string, unknown>();
  const memo = (io: 'input' | 'output') => (options: JsonSchemaOptions) => {
    const key = `${io}:${options.target}`;
    if (!cache.has(key)) cache.set(key, standard.jsonSchema[io](options));
    return structuredClone(cache.get(key));
  };
  return Object.create(schema, {
    '~standard': { value: { ...standard, jsonSchema: { input: memo('input'), output: memo('output') } } },
  }) as T;
}

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(spec: ToolSpec<I, O>): Tool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: withCachedJsonSchema(strictInput(spec.input)),
    outputSchema: withCachedJsonSchema(z.object({ ...spec.output, suggested_next: suggestedNextSchema })),
    // Every answer within the size budget (budget.ts), whatever the tool did to fit.
    run: async (args, env) => clipToBudget(await spec.run(args as z.infer<z.ZodObject<I>>, env)),
  };
}
