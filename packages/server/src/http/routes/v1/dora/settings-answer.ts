/** How the DORA settings look on the wire. */
import { formatWindow } from '../../../../domain/dora/window.js';
import type { DoraSettings } from '../../../../store/dora-settings.js';

export const settingsAnswer = (s: DoraSettings) => ({
  failureWindow: formatWindow(s.failureWindowMs),
  failureWindowMinutes: Math.round(s.failureWindowMs / 60_000),
  updatedAt: s.updatedAt,
});
