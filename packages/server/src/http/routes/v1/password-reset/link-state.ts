/** The answer for a reset link that cannot be used: which of used, expired or unknown it is, and what to do. */
import { ApiError } from '@opstrails/core';
import { z } from 'zod';
import type { ResetState } from '../../../../store/password-resets.js';

export const resetToken = z.string().min(1, { message: 'is required' }).max(200);

export function unusableLink(state: Exclude<ResetState['state'], 'valid'>): ApiError {
  const why = {
    used: 'this reset link was already used; sign in with the new password, or ask for a new link',
    expired: 'this reset link has expired; ask for a new one',
    unknown:
      'this reset link is not valid (mistyped, cut off, or replaced by a newer one); open the link from the message again, or ask for a new one',
  }[state];
  return new ApiError('NOT_FOUND', `token: ${why}`);
}
