/**
 * Caps the request body bytes held in memory across all requests at once. Each body's bytes
 * are reserved as it starts (its Content-Length; the route's limit when compressed) or as it
 * arrives (chunked), and released when its answer is sent. Past the cap a request is answered
 * 503 with Retry-After before its body is read, so many large uploads at once slow down instead
 * of taking the process's memory.
 */
import { Transform } from 'node:stream';
import { ApiError } from '@opstrails/core';
import type { FastifyInstance, FastifyReply } from 'fastify';

const busy = (max: number) =>
  new ApiError(
    'RATE_LIMITED',
    `request body: the server is already holding ${Math.round(max / 1024 / 1024)} MB of request bodies; retry in a second`,
    503,
    1,
  );

export function registerBodyBudget(app: FastifyInstance, maxBytes: number): void {
  let inFlight = 0;
  /** Releases what `held()` says the request holds once its answer is sent or its connection is gone. */
  const holdUntilAnswered = (reply: FastifyReply, held: () => number) => {
    reply.raw.once('close', () => {
      inFlight -= held();
    });
  };

  app.addHook('preParsing', async (request, reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      // A gzip body inflates up to the route's limit (a 170 KB request can become 11 MB): reserve that.
      const worst = request.routeOptions.bodyLimit;
      if (inFlight + worst > maxBytes) throw busy(maxBytes);
      inFlight += worst;
      holdUntilAnswered(reply, () => worst);
      return payload;
    }
    const declared = Number(request.headers['content-length']);
    if (request.headers['content-length'] !== undefined && Number.isSafeInteger(declared)) {
      // Over the route's own limit: Fastify answers 413 without reading it.
      if (declared === 0 || declared > request.routeOptions.bodyLimit) return payload;
      if (inFlight + declared > maxBytes) throw busy(maxBytes);
      inFlight += declared;
      holdUntilAnswered(reply, () => declared);
      return payload;
    }
    if (request.headers['transfer-encoding'] === undefined) return payload;
    let counted = 0;
    holdUntilAnswered(reply, () => counted);
    return payload.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          if (inFlight + chunk.length > maxBytes) {
            callback(busy(maxBytes));
            return;
          }
          inFlight += chunk.length;
          counted += chunk.length;
          callback(null, chunk);
        },
      }),
    );
  });
}
