/**
 * Verifies API keys for every request. Answers are cached for half a second: enough to spare
 * the database on a busy ingest path, short enough that a key revoked anywhere (the console,
 * the CLI beside a running server, another instance) stops working within a second.
 */
import type { KeyGrant } from '../store/api-keys.js';
import type { Store } from '../store/store.js';

const CACHE_MS = 500;
const CACHE_MAX = 10_000;
/** `last_used_at` is written at most this often per key, so reads do not become writes. */
const TOUCH_EVERY_MS = 60_000;

export class KeyVerifier {
  private readonly cache = new Map<string, { grant: KeyGrant | null; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly store: Store) {}

  async verify(key: string, now = Date.now()): Promise<KeyGrant | null> {
    const hit = this.cache.get(key);
    let grant: KeyGrant | null;
    if (hit && hit.until > now) {
      grant = hit.grant;
    } else {
      grant = await this.store.apiKeys.verify(key);
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(key, { grant, until: now + CACHE_MS });
    }
    if (grant && now - (this.touched.get(grant.keyId) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(grant.keyId, now);
      await this.store.apiKeys.touch(grant.keyId, now);
    }
    return grant;
  }

  /** Forgets cached answers at once, for revocations made by this process. */
  forget(): void {
    this.cache.clear();
  }
}
