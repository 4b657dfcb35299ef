/** Severity by colour and by text, so it reads without colour vision too. */
import type { Severity } from '@opstrails/core';

export function SeverityBadge({ severity }: { severity: Severity | null }) {
  const level = severity ?? 'NONE';
  return (
    <span className={`sev sev-${level.toLowerCase()}`} data-severity={level}>
      {severity ?? '—'}
    </span>
  );
}
