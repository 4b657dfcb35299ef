/** The connection settings: defaults, refusals that name the setting, and the trusted-proxy check. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { BODY_LIMIT, parseNetworkConfig, trustedProxyCheck } from './network-config.js';

describe('network settings', () => {
  it('has defaults that bound a client without getting in the way', () => {
    expect(parseNetworkConfig({})).toEqual({
      requestTimeoutMs: 60_000,
      headersTimeoutMs: 10_000,
      idleTimeoutMs: 60_000,
      keepAliveTimeoutMs: 72_000,
      maxConnectionsPerAddress: 500,
      maxBodyBytesInFlight: 256 * 1024 * 1024,
      trustedProxies: [],
    });
  });

  it('refuses a value that is not a positive whole number, naming the setting and the default', () => {
    for (const raw of ['0', '-5', '1.5', 'ten', '99999999999999999999']) {
      expect(() => parseNetworkConfig({ OPSTRAILS_MAX_CONNECTIONS_PER_ADDRESS: raw })).toThrow(
        new ConfigError(
          `OPSTRAILS_MAX_CONNECTIONS_PER_ADDRESS="${raw}" is not a positive whole number; unset it for 500`,
        ),
      );
    }
  });

  it('refuses a body budget smaller than one full batch, which could then never be sent', () => {
    expect(() => parseNetworkConfig({ OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT: String(BODY_LIMIT - 1) })).toThrow(
      `OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT (${BODY_LIMIT - 1}) is less than one full batch (${BODY_LIMIT} bytes)`,
    );
    expect(
      parseNetworkConfig({ OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT: String(BODY_LIMIT) }).maxBodyBytesInFlight,
    ).toBe(BODY_LIMIT);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() =>
      parseNetworkConfig({ OPSTRAILS_REQUEST_TIMEOUT_MS: '5000', OPSTRAILS_HEADERS_TIMEOUT_MS: '9000' }),
    ).toThrow(/OPSTRAILS_HEADERS_TIMEOUT_MS \(9000\) is longer than OPSTRAILS_REQUEST_TIMEOUT_MS \(5000\)/);
  });

  it('reads trusted proxies as addresses, CIDR ranges and named ranges, and refuses anything else', () => {
    const { trustedProxies } = parseNetworkConfig({
      OPSTRAILS_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,loopback,fd00::/8',
    });
    expect(trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.7', 'loopback', 'fd00::/8']);
    const trusted = trustedProxyCheck(trustedProxies);
    expect(['10.1.2.3', '192.0.2.7', '127.0.0.1', '::1', '::ffff:127.0.0.1', 'fd00::1'].map(trusted)).toEqual(
      new Array(6).fill(true),
    );
    expect(['11.0.0.1', '192.0.2.8', 'fe80::1', 'not-an-ip'].map(trusted)).toEqual(new Array(4).fill(false));
    for (const bad of ['10.0.0.0/33', 'proxy.example.com', '1.2.3.4/8/1', '::1/129'])
      expect(() => parseNetworkConfig({ OPSTRAILS_TRUSTED_PROXIES: bad })).toThrow(
        `OPSTRAILS_TRUSTED_PROXIES: "${bad}" is not an address or range`,
      );
    expect(trustedProxyCheck([])('127.0.0.1')).toBe(false);
  });
});
