/** A time in the viewer's zone, with the UTC instant on hover. */
import { localTime, timeAgo, utcTitle } from '../format';

export function Time({ iso, relative = false }: { iso: string; relative?: boolean }) {
  return (
    <time dateTime={iso} title={utcTitle(iso)}>
      {relative ? timeAgo(iso) : localTime(iso)}
    </time>
  );
}
