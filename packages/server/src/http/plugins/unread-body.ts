/**
 * What happens to the body of a request refused before it was read (no key, server busy): Node
 * reads and discards the rest, so the client gets the answer rather than a reset, but only for
 * LINGER_MS after answering (an attacker's upload is not read for ever); a body declared larger
 * than the route accepts is not read at all: the connection closes after the answer. A request
 * with no real socket (Fastify's `inject`) has no connection to keep or cut: nothing is done.
 */
import { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/** Long enough for a client to read the answer while its upload is still going. */
const LINGER_MS = 2_000;

export function settleUnreadBody(reply: FastifyReply): void {
  const { raw, routeOptions } = reply.request;
  if (raw.complete || !(raw.socket instanceof Socket)) return;
  if (Number(raw.headers['content-length']) > routeOptions.bodyLimit) {
    reply.header('Connection', 'close');
    return;
  }
  reply.raw.once('finish', () => {
    if (raw.complete) return;
    const cut = setTimeout(() => raw.socket.destroy(), LINGER_MS).unref();
    // Finished in time: the connection carries the client's next request, so it must live.
    raw.once('end', () => clearTimeout(cut));
  });
}
