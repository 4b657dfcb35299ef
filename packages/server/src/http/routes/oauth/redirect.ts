/**
 * The authorization response: the client's redirect URI with `code` (or `error`), `state` and
 * `iss` (RFC 9207, so a client talking to several servers can tell which one answered).
 */
export function authorizationResponse(
  redirectUri: string,
  issuer: string,
  state: string | null | undefined,
  values: Record<string, string>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) url.searchParams.set(name, value);
  if (state) url.searchParams.set('state', state);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
