/**
 * Settings of the client commands (send, events, export, import, mcp): where the server is and
 * which key to use. Flags override `OPSTRAILS_URL` and `OPSTRAILS_API_KEY`.
 */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface ClientFlags {
  url?: string;
  apiKey?: string;
}

export interface ClientConfig {
  url: string;
  apiKey: string;
}

export function loadClientConfig(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const url = (flags.url ?? env.OPSTRAILS_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  try {
    new URL(url);
  } catch {
    throw new Error(`OPSTRAILS_URL / --url "${url}" is not a URL: use e.g. http://127.0.0.1:8080`);
  }
  const apiKey = flags.apiKey ?? env.OPSTRAILS_API_KEY;
  if (!apiKey) {
    throw new Error(
      'no API key: set OPSTRAILS_API_KEY or pass --api-key (create one with: opstrails keys create --scope READ_WRITE)',
    );
  }
  return { url, apiKey };
}
