/**
 * The console's only way to the server: same-origin fetch with the session cookie, the CSRF
 * token on state-changing requests, and the API's error envelope turned into ApiFailure.
 */
import type { Role } from '@opstrails/core';

export interface SessionView {
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; plan: string };
  role: Role;
  organizations: { id: string; name: string; role: Role }[];
  csrfToken: string;
}

/** A failed API call: the server's message (it names the field and the fix) and its code. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Fired on window when an API call finds the session gone. */
export const SIGNED_OUT = 'opstrails:signed-out';

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiFailure('The server cannot be reached. Is `opstrails serve` still running?', 'NETWORK', 0);
  }
  const payload = (await response.json().catch(() => null)) as
    | { success: true; data: T }
    | { success: false; error: string; code: string }
    | null;
  if (!payload)
    throw new ApiFailure(
      `The server answered ${response.status} without a body.`,
      'INTERNAL_ERROR',
      response.status,
    );
  if (!payload.success) {
    // The session ended (expired, signed out elsewhere, removed from the organization): back to sign-in.
    if (response.status === 401 && csrfToken && !path.startsWith('/api/v1/session'))
      window.dispatchEvent(new Event(SIGNED_OUT));
    throw new ApiFailure(payload.error, payload.code, response.status);
  }
  return payload.data;
}

/** The query string of a filter object, skipping empty values. */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
