/** Whether the live stream is connected, in words and colour. */
import type { LiveStatus } from '../live/use-live-events';

const LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: reload the page',
};

export function LiveBadge({ status }: { status: LiveStatus }) {
  return (
    <span className={`live live-${status}`} data-testid="live-status" data-status={status}>
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
