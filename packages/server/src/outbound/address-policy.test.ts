/** The outbound address policy as functions: nothing here opens a connection. */
import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowed, parseAllowList, refusal } from './address-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    // IPv6 forms that carry an IPv4 address are judged as that address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['not-an-address', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('parseAllowList', () => {
  it('reads addresses, CIDR ranges and host names', () => {
    const allow = parseAllowList(' 127.0.0.1 , 10.0.0.0/8,fd00::/8, Prometheus.Internal.,');
    expect(allow.map((e) => (e.kind === 'host' ? e.name : e.text))).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      'prometheus.internal',
    ]);
  });

  it('names the bad entry and the setting', () => {
    expect(() => parseAllowList('10.0.0.0/33')).toThrow(/OPSTRAILS_ALLOW_PRIVATE_TARGETS: "10.0.0.0\/33"/);
    expect(() => parseAllowList('http://x')).toThrow(/not an address, a CIDR range or a host name/);
    expect(() => parseAllowList('10.0.0.0/8/1')).toThrow(/bad prefix length/);
  });
});

describe('refusal', () => {
  it('allows public addresses with an empty list', () => {
    expect(refusal([], 'example.com', '93.184.215.14')).toBeNull();
  });

  it('refuses non-public addresses, naming the address, its kind and the setting', () => {
    expect(refusal([], 'localhost', '127.0.0.1')).toBe(
      'localhost (127.0.0.1) is a loopback address, refused by the outbound address policy; if this target is yours, add it to OPSTRAILS_ALLOW_PRIVATE_TARGETS (e.g. OPSTRAILS_ALLOW_PRIVATE_TARGETS=127.0.0.1)',
    );
    expect(refusal([], '169.254.169.254', '169.254.169.254')).toMatch(
      /^169\.254\.169\.254 is a cloud metadata address/,
    );
  });

  it('allows what the list names: an address, a range (mapped IPv6 too) or a host name', () => {
    const allow = parseAllowList('127.0.0.1,10.0.0.0/8,prometheus.internal');
    expect(refusal(allow, '127.0.0.1', '127.0.0.1')).toBeNull();
    expect(refusal(allow, 'x', '::ffff:127.0.0.1')).toBeNull();
    expect(refusal(allow, 'db', '10.20.30.40')).toBeNull();
    expect(refusal(allow, 'PROMETHEUS.internal.', '192.168.7.7')).toBeNull();
    expect(refusal(allow, 'other', '127.0.0.2')).toMatch(/loopback/);
    expect(refusal(allow, 'other', '::1')).toMatch(/loopback/);
    expect(isAllowed(allow, 'other', '192.168.7.7')).toBe(false);
  });
});
