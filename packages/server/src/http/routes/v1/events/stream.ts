/**
 * GET /api/v1/events/stream: the live feed as Server-Sent Events. Each event is sent with its
 * row number as the SSE id, so a client that reconnects with `Last-Event-ID` (or
 * `?lastEventId=`) gets exactly what it missed. Accepts the list filters.
 *
 * Wake-ups come from the live bus; a one-second poll backs it up, so events written by another
 * instance or process still arrive. The stream re-reads from the table, never from the bus.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { badRequest } from '../../../envelope.js';
import { authenticate, requireScope } from '../../../plugins/auth.js';
import { parseFilter, type Query } from './query.js';

const POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;
const CHUNK = 500;

function startSeq(header: string | string[] | undefined, query: Query): number | undefined {
  const raw =
    (Array.isArray(header) ? header[0] : header) ??
    (typeof query.lastEventId === 'string' ? query.lastEventId : undefined);
  if (raw === undefined || raw === '') return undefined;
  const seq = Number(raw);
  // A row number is a safe integer; 1e23 would otherwise be taken as "after every row ever".
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(seq))
    throw badRequest('Last-Event-ID', 'must be the id of an event this stream sent');
  return seq;
}

async function stillAuthorized(request: FastifyRequest, ctx: AppContext, orgId: string): Promise<boolean> {
  try {
    if (request.account) return (await request.server.resolveSession(request))?.orgId === orgId;
    return (await authenticate(request, ctx.keys)).orgId === orgId;
  } catch {
    return false;
  }
}

export function registerStreamEvents(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/events/stream',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const filter = parseFilter(request.query as Query, ['lastEventId']);
      let cursor =
        startSeq(request.headers['last-event-id'], request.query as Query) ??
        (await ctx.store.events.latestSeq(orgId));

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      // The id line (with no data) sets the client's Last-Event-ID before any event arrives, so a
      // connection dropped before the first event still resumes from here and misses nothing.
      res.write(`retry: 2000\nid: ${cursor}\n: connected at row ${cursor}\n\n`);

      let closed = false;
      let draining = false;
      let again = false;
      const drain = async () => {
        if (draining) {
          again = true;
          return;
        }
        draining = true;
        try {
          do {
            again = false;
            for (;;) {
              const rows = await ctx.store.events.afterSeq(orgId, cursor, CHUNK, filter);
              if (closed) return;
              for (const row of rows) {
                res.write(`id: ${row.seq}\nevent: event\ndata: ${JSON.stringify(toStoredEvent(row))}\n\n`);
                cursor = Number(row.seq);
              }
              if (rows.length < CHUNK) break;
            }
          } while (again && !closed);
        } catch (err) {
          request.log.error({ err }, 'live stream read failed');
          res.end();
        } finally {
          draining = false;
        }
      };

      const unsubscribe = ctx.bus.subscribe(orgId, () => void drain());
      const poll = setInterval(() => void drain(), POLL_MS);
      // Each heartbeat re-checks who is listening: a revoked key, a signed-out or removed console
      // user, or a session switched to another organization ends the stream within HEARTBEAT_MS.
      const heartbeat = setInterval(() => {
        res.write(': ping\n\n');
        void stillAuthorized(request, ctx, orgId).then((allowed) => {
          if (!allowed && !closed) res.end();
        });
      }, HEARTBEAT_MS);
      request.raw.on('close', () => {
        closed = true;
        unsubscribe();
        clearInterval(poll);
        clearInterval(heartbeat);
      });
      void drain();
    },
  );
}
