/**
 * Sign-in throttling. Every attempt is counted before its password is checked (atomically, so
 * a burst of concurrent guesses gets no more checks than a slow series), under three keys:
 *
 * - the email from one address: five free attempts, then waits that double (5 s, 10 s, … 15 min);
 *   the owner signing in from elsewhere is not slowed by a stranger's guesses;
 * - the address, whatever the email: fifty free, then the same backoff (one address spraying
 *   many accounts); a success gives its attempt back, so a busy office NAT is not slowed;
 * - the email, from any address: twenty free, then waits capped at a minute, so guessing from
 *   many addresses is slowed and never turns into a lockout of the owner.
 *
 * A success clears the email's counters. `opstrails users unlock <email>` clears them too.
 */
import { ApiError } from '@opstrails/core';
import type { LoginAttemptRepository, ThrottleRule } from '../store/login-attempts.js';

const FORGET_AFTER_MS = 60 * 60_000;

export const LOGIN_POLICY = {
  pair: { free: 5, baseDelayMs: 5_000, maxDelayMs: 15 * 60_000, forgetAfterMs: FORGET_AFTER_MS },
  address: { free: 50, baseDelayMs: 5_000, maxDelayMs: 15 * 60_000, forgetAfterMs: FORGET_AFTER_MS },
  email: { free: 20, baseDelayMs: 5_000, maxDelayMs: 60_000, forgetAfterMs: FORGET_AFTER_MS },
} as const satisfies Record<string, ThrottleRule>;

const keys = (email: string, address: string) => ({
  pair: `pair:${email} ${address}`,
  address: `address:${address}`,
  email: `email:${email}`,
});

/** Clears every counter of `email` (an unlock); returns how many there were. */
export function unlockEmail(attempts: LoginAttemptRepository, email: string): Promise<number> {
  const normalized = email.trim().toLowerCase();
  return attempts.clear([`email:${normalized}`], [`pair:${normalized} `]);
}

export class LoginLimiter {
  constructor(private readonly attempts: LoginAttemptRepository) {}

  /**
   * Counts this attempt, or throws 429 with Retry-After when it must wait. The order matters
   * only for what a refused attempt already counted: the narrowest key first.
   */
  async admit(email: string, address: string, now = Date.now()): Promise<void> {
    const k = keys(email, address);
    for (const name of ['pair', 'address', 'email'] as const) {
      if ((await this.attempts.reserve(k[name], LOGIN_POLICY[name], now)) !== null) continue;
      const at = (await this.attempts.nextAttemptAt(k[name], now)) ?? now + 1_000;
      const seconds = Math.max(1, Math.ceil((at - now) / 1000));
      throw new ApiError(
        'RATE_LIMITED',
        name === 'address'
          ? `login: too many attempts from your address; try again in ${seconds} s`
          : `login: too many attempts for this email; try again in ${seconds} s, or ask an owner to run \`opstrails users unlock ${email}\``,
        429,
        seconds,
      );
    }
  }

  async succeeded(email: string, address: string): Promise<void> {
    const k = keys(email, address);
    await this.attempts.clear([k.pair, k.email]);
    await this.attempts.giveBack(k.address, LOGIN_POLICY.address);
  }
}
