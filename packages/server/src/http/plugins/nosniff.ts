/**
 * Every answer carries `X-Content-Type-Options: nosniff`, so a browser never reads a JSON answer
 * (which echoes user text: event fields, error messages) as HTML or script. Set on the raw Node
 * response, so hijacked answers (MCP, the live feed) carry it too.
 */
import type { FastifyInstance } from 'fastify';

export const NOSNIFF_HEADER = 'X-Content-Type-Options';

export function registerNosniff(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.raw.setHeader(NOSNIFF_HEADER, 'nosniff');
    done();
  });
}
