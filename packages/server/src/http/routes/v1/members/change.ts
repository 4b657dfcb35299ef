/** Turns a refused membership change into the answer the caller can act on. */
import { ApiError } from '@opstrails/core';
import type { MembershipChange } from '../../../../store/memberships.js';

export function assertChanged(outcome: MembershipChange, userId: string): void {
  if (outcome === 'not-found')
    throw new ApiError('NOT_FOUND', `userId: "${userId}" is not a member of this organization`);
  if (outcome === 'last-owner') {
    throw new ApiError(
      'CONFLICT',
      'role: this is the last OWNER of the organization; make someone else OWNER first',
    );
  }
}
