/**
 * Verifies OAuth access tokens on the MCP endpoint. Like API keys (key-verifier.ts), answers are
 * cached for half a second: a token whose key is revoked in the console, by the CLI or on another
 * instance stops working within a second. The key's `last_used_at` shows the client's use.
 */
import type { TokenGrant } from '../../store/oauth.js';
import type { Store } from '../../store/store.js';

const CACHE_MS = 500;
const CACHE_MAX = 10_000;
const TOUCH_EVERY_MS = 60_000;

export class OAuthTokenVerifier {
  private readonly cache = new Map<string, { grant: TokenGrant | null; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly store: Store) {}

  async verify(token: string, now = Date.now()): Promise<TokenGrant | null> {
    const hit = this.cache.get(token);
    let grant: TokenGrant | null;
    if (hit && hit.until > now) {
      grant = hit.grant;
    } else {
      grant = await this.store.oauth.verifyAccess(token, now);
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(token, { grant, until: now + CACHE_MS });
    }
    if (grant && now - (this.touched.get(grant.keyId) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(grant.keyId, now);
      await this.store.apiKeys.touch(grant.keyId, now);
    }
    return grant;
  }

  /** Drops cached answers at once, after a revocation made by this process. */
  forget(): void {
    this.cache.clear();
  }
}
