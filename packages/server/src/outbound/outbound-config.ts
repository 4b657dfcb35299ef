/**
 * The outbound HTTP client's settings. OPSTRAILS_ALLOW_PRIVATE_TARGETS: comma-separated addresses,
 * CIDR ranges and host names that requests made for an organization may reach even though they
 * are not public (a Prometheus on localhost:9090, an internal webhook receiver).
 * OPSTRAILS_OUTBOUND_CA_FILE: a PEM file of CA certificates trusted beside the system's roots.
 * Parsed by loadConfig (config.ts); docs/configuration.md lists it.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { ALLOW_SETTING, type AllowEntry, parseAllowList } from './address-policy.js';

export interface OutboundConfig {
  /** Non-public targets the operator allows; empty = only public addresses. */
  allowPrivateTargets: AllowEntry[];
  /** PEM certificates trusted beside the system's roots, for targets behind a private CA. */
  extraCa?: string;
}

export function parseOutboundConfig(env: NodeJS.ProcessEnv): OutboundConfig {
  let allowPrivateTargets: AllowEntry[];
  try {
    allowPrivateTargets = parseAllowList(env[ALLOW_SETTING] ?? '');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const caFile = env.OPSTRAILS_OUTBOUND_CA_FILE;
  return caFile ? { allowPrivateTargets, extraCa: readCa(caFile) } : { allowPrivateTargets };
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `OPSTRAILS_OUTBOUND_CA_FILE="${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): give the path of a PEM file of CA certificates`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(
      `OPSTRAILS_OUTBOUND_CA_FILE="${file}" holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    );
  }
  return pem;
}
