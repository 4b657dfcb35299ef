/**
 * What every client command shares: the `--url` / `--api-key` flags, the SDK client built from
 * them, and failures turned into one line with the server's message, its code and the fix.
 */
import { OpsTrailsClient, OpsTrailsError, QuotaExceededError } from '@opstrails/sdk';
import type { Command } from 'commander';
import { type ClientFlags, loadClientConfig } from './client-config.js';

export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', 'server URL (env OPSTRAILS_URL, default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key (env OPSTRAILS_API_KEY)');
}

export function openClient(flags: ClientFlags, retry?: { maxRetries: number }): OpsTrailsClient {
  const { url, apiKey } = loadClientConfig(flags);
  return new OpsTrailsClient({ apiKey, baseUrl: url, retry });
}

const FIXES: Record<string, string> = {
  UNAUTHORIZED: 'check OPSTRAILS_API_KEY / --api-key (opstrails keys list shows the active keys)',
  FORBIDDEN:
    'this key is READ_ONLY; sending needs a READ_WRITE key (opstrails keys create --scope READ_WRITE)',
  NETWORK_ERROR: 'is the server running there? set OPSTRAILS_URL or --url',
  TIMEOUT: 'the server did not answer in time; check OPSTRAILS_URL or --url and the server logs',
  INVALID_RESPONSE: 'OPSTRAILS_URL / --url must point at the API server',
};

/** Runs a client command; an SDK failure leaves as `<message> [<code>]`, plus the fix when there is one. */
export async function runClient(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof OpsTrailsError)) throw error;
    const fix =
      error instanceof QuotaExceededError && error.resetAt
        ? `the limit resets at ${error.resetAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}; send again after that`
        : FIXES[error.code];
    throw new Error(`${error.message} [${error.code}]${fix ? `\n  fix: ${fix}` : ''}`);
  }
}
