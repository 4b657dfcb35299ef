/** The OTLP/HTTP receiver: a collector's `otlphttp` exporter points at `<base>/api/v1/otlp`. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerOtlpTraces } from './traces.js';

export function registerOtlpRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The exporter appends /v1/traces to its endpoint; /traces is the contract's short form.
  registerOtlpTraces(app, ctx, '/api/v1/otlp/v1/traces');
  registerOtlpTraces(app, ctx, '/api/v1/otlp/traces');
}
