/**
 * The settings that bound what one client can hold of the server: timeouts, connections per
 * address, body bytes in memory, and which proxies may name the client's address. Parsed by
 * loadConfig (config.ts) with every other setting; docs/configuration.md lists them.
 */
import { BlockList, isIP } from 'node:net';
import { LIMITS } from '@opstrails/core';
import { ConfigError } from './config.js';

/** The largest request body: a full batch of maximal events, plus room for pretty-printed JSON. */
export const BODY_LIMIT = LIMITS.batchMax * LIMITS.eventBytesMax + 1024 * 1024;

export interface NetworkConfig {
  /** Time to receive a whole request, headers and body (Node's requestTimeout). */
  requestTimeoutMs: number;
  /** Time to receive the request headers (Node's headersTimeout). */
  headersTimeoutMs: number;
  /** A connection silent this long is closed; above the live feed's 15 s heartbeat. */
  idleTimeoutMs: number;
  /** How long an idle keep-alive connection waits for the next request. */
  keepAliveTimeoutMs: number;
  /** Open connections from one client address; trusted proxies are exempt. */
  maxConnectionsPerAddress: number;
  /** Request body bytes held in memory across all requests at once. */
  maxBodyBytesInFlight: number;
  /** Addresses, CIDR ranges or `loopback` / `linklocal` / `uniquelocal`, as written. */
  trustedProxies: string[];
}

/** Named ranges, as Fastify's trustProxy (proxy-addr) understands them. */
const NAMED_RANGES: Record<string, [string, number][]> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

const SETTINGS = {
  requestTimeoutMs: ['OPSTRAILS_REQUEST_TIMEOUT_MS', 60_000],
  headersTimeoutMs: ['OPSTRAILS_HEADERS_TIMEOUT_MS', 10_000],
  idleTimeoutMs: ['OPSTRAILS_IDLE_TIMEOUT_MS', 60_000],
  keepAliveTimeoutMs: ['OPSTRAILS_KEEP_ALIVE_TIMEOUT_MS', 72_000],
  maxConnectionsPerAddress: ['OPSTRAILS_MAX_CONNECTIONS_PER_ADDRESS', 500],
  maxBodyBytesInFlight: ['OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT', 256 * 1024 * 1024],
} as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw)))
    throw new ConfigError(`${name}="${raw}" is not a positive whole number; unset it for ${fallback}`);
  return Number(raw);
}

function checkProxy(entry: string): void {
  if (entry in NAMED_RANGES) return;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
  if (family === 0 || !bitsOk || rest.length > 0) {
    throw new ConfigError(
      `OPSTRAILS_TRUSTED_PROXIES: "${entry}" is not an address or range; use addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, separated by commas`,
    );
  }
}

export function parseNetworkConfig(env: NodeJS.ProcessEnv): NetworkConfig {
  const values = Object.fromEntries(
    Object.entries(SETTINGS).map(([key, [name, fallback]]) => [key, positive(env, name, fallback)]),
  ) as Omit<NetworkConfig, 'trustedProxies'>;
  if (values.maxBodyBytesInFlight < BODY_LIMIT) {
    throw new ConfigError(
      `OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT (${values.maxBodyBytesInFlight}) is less than one full batch (${BODY_LIMIT} bytes), which would then never be accepted; use at least ${BODY_LIMIT}`,
    );
  }
  if (values.headersTimeoutMs > values.requestTimeoutMs) {
    throw new ConfigError(
      `OPSTRAILS_HEADERS_TIMEOUT_MS (${values.headersTimeoutMs}) is longer than OPSTRAILS_REQUEST_TIMEOUT_MS (${values.requestTimeoutMs}); the headers are part of the request, so make it shorter`,
    );
  }
  const trustedProxies = (env.OPSTRAILS_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  trustedProxies.forEach(checkProxy);
  return { ...values, trustedProxies };
}

/** Whether a connection's peer address is one of the trusted proxies. */
export function trustedProxyCheck(entries: string[]): (address: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const ranges = NAMED_RANGES[entry] ?? [[entry.split('/')[0] ?? '', Number(entry.split('/')[1] ?? NaN)]];
    for (const [address, bits] of ranges) {
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (Number.isNaN(bits)) list.addAddress(address, type);
      else list.addSubnet(address, bits, type);
    }
  }
  return (address) => {
    const type = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : null;
    return type !== null && list.check(address, type);
  };
}
