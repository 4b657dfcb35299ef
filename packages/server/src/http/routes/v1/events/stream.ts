/**
 * GET /api/v1/events/stream: the live feed as Server-Sent Events. Accepts the list filters.
 * Each event is sent with its row number as the SSE id, so a client that reconnects with
 * `Last-Event-ID` (or `?lastEventId=`) gets exactly what it missed (sse-id.ts); `0` replays
 * everything.
 *
 * Streams do not read the store themselves: one reader per organization hands them new rows
 * (live/hub.ts, live/org-feed.ts); a stream resuming from an older id replays its range first.
 * A stream whose key is revoked, or whose console user signed out or was removed, ends within a
 * second (live/grant-watch.ts).
 */
import type { FastifyInstance } from 'fastify';
import { GrantWatch } from '../../../../live/grant-watch.js';
import { LiveHub } from '../../../../live/hub.js';
import { positionId, resumePosition } from '../../../../live/sse-id.js';
import { SseSubscriber } from '../../../../live/sse-subscriber.js';
import type { AppContext } from '../../../context.js';
import { requireScope } from '../../../plugins/auth.js';
import { parseFilter, type Query } from './query.js';

export function registerStreamEvents(app: FastifyInstance, ctx: AppContext): void {
  const hub = new LiveHub(ctx.store, ctx.bus, {
    onError: (err) => app.log.error({ err }, 'live feed read failed'),
  });
  const grants = new GrantWatch(ctx.store, (err) => app.log.warn({ err }, 'live stream grant check failed'));
  app.addHook('onClose', async () => {
    grants.close();
    hub.close();
  });

  app.get(
    '/api/v1/events/stream',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request, reply) => {
      const grant = request.grant as NonNullable<typeof request.grant>;
      const query = request.query as Query;
      const filter = parseFilter(query, ['lastEventId']);
      const header = request.headers['last-event-id'];
      const lastEventId =
        (Array.isArray(header) ? header[0] : header) ??
        (typeof query.lastEventId === 'string' ? query.lastEventId : undefined);
      const start = await resumePosition(ctx.store, grant.orgId, lastEventId);

      const sub = new SseSubscriber(grant.orgId, filter, reply.raw, lastEventId || undefined);
      const unwatch = grants.watch(sub, {
        kind: request.account ? 'session' : 'key',
        id: grant.keyId,
        orgId: grant.orgId,
      });
      sub.onClose(() => {
        unwatch();
        hub.leave(sub);
      });
      try {
        await hub.open(sub, start, positionId, () => reply.hijack());
      } catch (error) {
        unwatch();
        throw error;
      }
    },
  );
}
