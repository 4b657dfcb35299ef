/**
 * The outbound address policy (extended API, "Who may call what"): a request the server makes for
 * an organization (a client metadata document today; integrations, channels and health checks
 * later) may not reach loopback, private, link-local, unique-local, cloud-metadata or other
 * non-public addresses unless the operator lists the target in OPSTRAILS_ALLOW_PRIVATE_TARGETS.
 * Pure functions: the HTTP client (http-client.ts) applies them after DNS resolution and on
 * every redirect, and the tests check them without sending anything anywhere.
 */
import { isIP } from 'node:net';

export const ALLOW_SETTING = 'OPSTRAILS_ALLOW_PRIVATE_TARGETS';

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'cloud metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** One entry of the allow list: an address, a CIDR range or a host name. */
export type AllowEntry =
  | { kind: 'range'; version: 4 | 6; base: bigint; bits: number; text: string }
  | { kind: 'host'; name: string };

interface Parsed {
  version: 4 | 6;
  value: bigint;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  let body = text.toLowerCase().replace(/%.*$/, '');
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4?.[1]) {
    const value = parseV4(v4[1]);
    if (value === null) return null;
    body = `${body.slice(0, -v4[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

/** An IP address as a number, or null when the text is not an address. */
export function parseAddress(text: string): Parsed | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const version = isIP(bare.replace(/%.*$/, ''));
  if (version === 4) {
    const value = parseV4(bare);
    return value === null ? null : { version: 4, value };
  }
  if (version === 6) {
    const value = parseV6(bare);
    return value === null ? null : { version: 6, value };
  }
  return null;
}

const range = (version: 4 | 6, cidr: string, kind: AddressKind) => {
  const [base, bits] = cidr.split('/') as [string, string];
  const parsed = parseAddress(base) as Parsed;
  return { version, base: parsed.value, bits: Number(bits), kind };
};

/** Most specific first: the first match names the kind. */
const V4_RANGES = [
  range(4, '169.254.169.254/32', 'cloud metadata'),
  range(4, '100.100.100.200/32', 'cloud metadata'),
  range(4, '192.0.0.192/32', 'cloud metadata'),
  range(4, '0.0.0.0/8', 'unspecified'),
  range(4, '10.0.0.0/8', 'private'),
  range(4, '100.64.0.0/10', 'private'),
  range(4, '127.0.0.0/8', 'loopback'),
  range(4, '169.254.0.0/16', 'link-local'),
  range(4, '172.16.0.0/12', 'private'),
  range(4, '192.0.0.0/24', 'reserved'),
  range(4, '192.0.2.0/24', 'reserved'),
  range(4, '192.168.0.0/16', 'private'),
  range(4, '198.18.0.0/15', 'reserved'),
  range(4, '198.51.100.0/24', 'reserved'),
  range(4, '203.0.113.0/24', 'reserved'),
  range(4, '224.0.0.0/4', 'multicast'),
  range(4, '240.0.0.0/4', 'reserved'),
];

const V6_RANGES = [
  range(6, 'fd00:ec2::254/128', 'cloud metadata'),
  range(6, '::/128', 'unspecified'),
  range(6, '::1/128', 'loopback'),
  range(6, 'fc00::/7', 'unique-local'),
  range(6, 'fe80::/10', 'link-local'),
  range(6, 'fec0::/10', 'private'),
  range(6, 'ff00::/8', 'multicast'),
  range(6, '2001:db8::/32', 'reserved'),
  range(6, '100::/64', 'reserved'),
];

function inRange(value: bigint, width: number, base: bigint, bits: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === base >> shift;
}

/** IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, compatible): judged as that address. */
function embeddedV4(value: bigint): bigint | null {
  if (value >> 32n === 0xffffn) return value & 0xffffffffn; // ::ffff:a.b.c.d
  if (value >> 32n === 0x64ff9b0000000000000000n) return value & 0xffffffffn; // 64:ff9b::/96
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn; // 2002::/16
  if (value >> 32n === 0n && value > 1n) return value & 0xffffffffn; // ::a.b.c.d (deprecated)
  return null;
}

/** What kind of address this is; anything that is not an address is 'reserved'. */
export function classifyAddress(address: string): AddressKind {
  const parsed = parseAddress(address);
  if (!parsed) return 'reserved';
  if (parsed.version === 6) {
    const v4 = embeddedV4(parsed.value);
    if (v4 !== null) return classifyParsed({ version: 4, value: v4 });
  }
  return classifyParsed(parsed);
}

function classifyParsed(parsed: Parsed): AddressKind {
  const width = parsed.version === 4 ? 32 : 128;
  for (const r of parsed.version === 4 ? V4_RANGES : V6_RANGES) {
    if (inRange(parsed.value, width, r.base, r.bits)) return r.kind;
  }
  return 'public';
}

/** Normalises a host name for comparison: lower case, no trailing dot, no brackets. */
export function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
}

/**
 * Parses OPSTRAILS_ALLOW_PRIVATE_TARGETS: comma-separated addresses, CIDR ranges and host names.
 * Throws an Error naming the bad entry and the expected forms.
 */
export function parseAllowList(raw: string): AllowEntry[] {
  const entries: AllowEntry[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const [addressText, bitsText, extra] = item.split('/');
    const parsed = parseAddress(addressText ?? '');
    if (parsed) {
      const width = parsed.version === 4 ? 32 : 128;
      const bits = bitsText === undefined ? width : Number(bitsText);
      if (extra !== undefined || !/^\d+$/.test(bitsText ?? `${width}`) || bits > width) {
        throw new Error(
          `${ALLOW_SETTING}: "${item}" has a bad prefix length; use e.g. 10.0.0.0/8 or fd00::/8 (0-${width})`,
        );
      }
      entries.push({ kind: 'range', version: parsed.version, base: parsed.value, bits, text: item });
      continue;
    }
    if (
      bitsText === undefined &&
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(item)
    ) {
      entries.push({ kind: 'host', name: normalizeHost(item) });
      continue;
    }
    throw new Error(
      `${ALLOW_SETTING}: "${item}" is not an address, a CIDR range or a host name; use e.g. 127.0.0.1,10.0.0.0/8,prometheus.internal`,
    );
  }
  return entries;
}

/** Whether the allow list admits this address (by range) or this host name (by name). */
export function isAllowed(allow: readonly AllowEntry[], host: string, address: string): boolean {
  const name = normalizeHost(host);
  const parsed = parseAddress(address);
  return allow.some((entry) => {
    if (entry.kind === 'host') return entry.name === name;
    if (!parsed) return false;
    const candidates: Parsed[] = [parsed];
    if (parsed.version === 6) {
      const v4 = embeddedV4(parsed.value);
      if (v4 !== null) candidates.push({ version: 4, value: v4 });
    }
    return candidates.some(
      (c) =>
        c.version === entry.version && inRange(c.value, c.version === 4 ? 32 : 128, entry.base, entry.bits),
    );
  });
}

/**
 * The policy's verdict on connecting to `address` (what `host` resolved to): null when allowed,
 * otherwise the reason, naming the address, its kind and the setting that would allow it.
 */
export function refusal(allow: readonly AllowEntry[], host: string, address: string): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public' || isAllowed(allow, host, address)) return null;
  const shown = normalizeHost(host) === normalizeHost(address) ? address : `${host} (${address})`;
  return `${shown} is a ${kind} address, refused by the outbound address policy; if this target is yours, add it to ${ALLOW_SETTING} (e.g. ${ALLOW_SETTING}=${address})`;
}
