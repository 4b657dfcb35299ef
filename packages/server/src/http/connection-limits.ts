/**
 * What one client can hold of the server: every request must arrive within the request and
 * header timeouts, a silent connection is closed, and one address may keep only so many
 * connections open, so thousands of never-finished requests cannot use up the file
 * descriptors everyone else needs (`/healthz` included). Settings: network-config.ts.
 */
import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { NetworkConfig } from '../network-config.js';

/** How often Node looks for requests past their timeouts; the timeouts fire at most this late. */
const TIMEOUT_CHECK_MS = 1_000;

/** The Fastify options that carry the timeouts and the trusted proxies. */
export function connectionOptions(
  network: NetworkConfig,
  isTrustedProxy: (address: string) => boolean,
): FastifyHttpOptions<Server> {
  return {
    requestTimeout: network.requestTimeoutMs,
    connectionTimeout: network.idleTimeoutMs,
    keepAliveTimeout: network.keepAliveTimeoutMs,
    http: {
      requestTimeout: network.requestTimeoutMs,
      headersTimeout: network.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, network.headersTimeoutMs),
    },
    // request.ip is then the client a trusted proxy names in X-Forwarded-For, and only then.
    trustProxy: network.trustedProxies.length > 0 ? (address: string) => isTrustedProxy(address) : false,
  };
}

/**
 * A connection past the cap is closed at once, before it costs a parser or a timer. Trusted
 * proxies are exempt: every client behind them shares their address.
 */
export function capConnectionsPerAddress(
  server: Server,
  max: number,
  isTrustedProxy: (address: string) => boolean,
): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress;
    if (!address || isTrustedProxy(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
