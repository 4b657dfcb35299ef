/**
 * A signed-in console user for API tests: keeps the session cookie and sends the CSRF token
 * on state-changing requests, the way the browser console does.
 */
import type { TestServer } from './test-server.js';

export interface ConsoleClient {
  /** The CSRF token of the current session. */
  csrf: string;
  cookie: string;
  call(path: string, init?: { method?: string; body?: unknown; csrf?: string | null }): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

export const OWNER = { name: 'Olive Owner', email: 'owner@example.com', password: 'correct horse battery' };

function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
}

async function sessionClient(server: TestServer, response: Response): Promise<ConsoleClient> {
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: { csrfToken: string } };
  const client: ConsoleClient = {
    csrf: body.data.csrfToken,
    cookie: cookieOf(response),
    call(path, init = {}) {
      const headers: Record<string, string> = { cookie: client.cookie };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const csrf = init.csrf === undefined ? client.csrf : init.csrf;
      if (csrf !== null) headers['x-csrf-token'] = csrf;
      return fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    async json<T>(path: string, init?: { method?: string; body?: unknown }) {
      const res = await client.call(path, init);
      if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { data: T }).data;
    },
  };
  return client;
}

const post = (server: TestServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Runs the one-time setup and returns the owner's session. */
export async function setupOwner(server: TestServer, organization = 'Acme'): Promise<ConsoleClient> {
  return sessionClient(server, await post(server, '/api/v1/setup', { ...OWNER, organization }));
}

export async function login(server: TestServer, email: string, password: string): Promise<ConsoleClient> {
  return sessionClient(server, await post(server, '/api/v1/session', { email, password }));
}

/** Invites someone with `role` through `admin` and signs them up through the link. */
export async function invite(
  server: TestServer,
  admin: ConsoleClient,
  role: 'OWNER' | 'ADMIN' | 'MEMBER',
  email: string,
): Promise<ConsoleClient> {
  const { token } = await admin.json<{ token: string }>('/api/v1/invites', {
    method: 'POST',
    body: { role },
  });
  return sessionClient(
    server,
    await post(server, '/api/v1/invites/accept', {
      token,
      email,
      name: email,
      password: 'long enough password',
    }),
  );
}

/** The error message of a failed answer (the envelope's `error`). */
export async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error?: string }).error ?? '';
}
