/**
 * How often reset mails may be asked for, counted on the sign-in counters (store/login-attempts.ts)
 * under keys of their own: per address (a few, then waits up to 15 minutes) and per email (three
 * an hour, then waits up to an hour), so nobody can flood a mailbox or the mail server. Counted
 * before the email is looked up: being throttled says nothing about whether it has an account.
 */
import { ApiError } from '@opstrails/core';
import type { LoginAttemptRepository, ThrottleRule } from '../store/login-attempts.js';

export const RESET_POLICY = {
  address: { free: 10, baseDelayMs: 60_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
  email: { free: 3, baseDelayMs: 5 * 60_000, maxDelayMs: 60 * 60_000, forgetAfterMs: 60 * 60_000 },
} as const satisfies Record<string, ThrottleRule>;

export async function admitResetRequest(
  attempts: LoginAttemptRepository,
  email: string,
  address: string,
  now = Date.now(),
): Promise<void> {
  const keys = { address: `reset-address:${address}`, email: `reset-email:${email}` };
  for (const name of ['address', 'email'] as const) {
    if ((await attempts.reserve(keys[name], RESET_POLICY[name], now)) !== null) continue;
    const at = (await attempts.nextAttemptAt(keys[name], now)) ?? now + 1_000;
    const seconds = Math.max(1, Math.ceil((at - now) / 1000));
    throw new ApiError(
      'RATE_LIMITED',
      `email: too many reset requests ${name === 'address' ? 'from your address' : 'for this email'}; try again in ${Math.ceil(seconds / 60)} min`,
      429,
      seconds,
    );
  }
}
