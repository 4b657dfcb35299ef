/**
 * Login throttling: after MAX_FAILURES failed logins for one email within WINDOW_MS, or
 * IP_MAX_FAILURES from one address, further attempts are refused for LOCK_MS, even with the
 * right password. A success clears the email's counter.
 */
import { ApiError } from '@opstrails/core';
import type { LoginAttemptRepository } from '../store/login-attempts.js';

export const LOGIN_POLICY = {
  maxFailures: 5,
  ipMaxFailures: 50,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export class LoginLimiter {
  constructor(private readonly attempts: LoginAttemptRepository) {}

  /** Throws 429 while the email or the address is locked out. */
  async check(email: string, ip: string, now = Date.now()): Promise<void> {
    for (const key of [`email:${email}`, `ip:${ip}`]) {
      const state = await this.attempts.get(key);
      if (state?.lockedUntil && state.lockedUntil > now) {
        throw new ApiError(
          'RATE_LIMITED',
          'login: too many failed attempts; wait before trying again, or ask an owner to reset your password',
          429,
          (state.lockedUntil - now) / 1000,
        );
      }
    }
  }

  async failed(email: string, ip: string, now = Date.now()): Promise<void> {
    await this.bump(`email:${email}`, LOGIN_POLICY.maxFailures, now);
    await this.bump(`ip:${ip}`, LOGIN_POLICY.ipMaxFailures, now);
  }

  async succeeded(email: string): Promise<void> {
    await this.attempts.clear(`email:${email}`);
  }

  private async bump(key: string, max: number, now: number): Promise<void> {
    const state = await this.attempts.get(key);
    const fresh = !state || now - state.windowStart > LOGIN_POLICY.windowMs;
    const failures = fresh ? 1 : state.failures + 1;
    await this.attempts.put(key, {
      failures,
      windowStart: fresh ? now : state.windowStart,
      lockedUntil: failures >= max ? now + LOGIN_POLICY.lockMs : null,
    });
  }
}
