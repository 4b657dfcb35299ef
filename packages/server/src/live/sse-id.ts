/**
 * The live feed's SSE ids, opaque to clients. An event's id is its row number: a client
 * resuming with it continues right after that row's place in the log, whatever order rows
 * committed in (`positionOfSeq`). The "connected" line names where a stream starts, which is
 * not a row but a log position (the head when nothing older was asked for), written
 * `<txid>.<seq>`; it resumes exactly too. `0` is before every event: a replay from the start.
 */
import { badRequest } from '../http/envelope.js';
import { LOG_START, type LogPosition } from '../store/event-log.js';
import type { Store } from '../store/store.js';

const ROW = /^\d+$/;
const POSITION = /^(\d+)\.(\d+)$/;

const refuse = () =>
  badRequest(
    'Last-Event-ID',
    'must be the id of an event this stream sent (or of its "connected" line); 0 replays from the start',
  );

/** The id of the "connected" line for a stream starting at `position`. */
export const positionId = (position: LogPosition): string => `${position.txid}.${position.seq}`;

/** Where a stream resumed with `raw` starts; undefined for no id (start at the head). 400 for an id no stream gave out. */
export async function resumePosition(
  store: Store,
  orgId: string,
  raw: string | undefined,
): Promise<LogPosition | undefined> {
  if (raw === undefined || raw === '') return undefined;
  const position = POSITION.exec(raw);
  if (position) {
    const txid = Number(position[1]);
    const seq = Number(position[2]);
    // Past 2^53 a number is rounded: it would resume somewhere else.
    if (!Number.isSafeInteger(txid) || !Number.isSafeInteger(seq)) throw refuse();
    return { txid, seq };
  }
  const seq = Number(raw);
  if (!ROW.test(raw) || !Number.isSafeInteger(seq)) throw refuse();
  return seq === 0 ? LOG_START : store.log.positionOfSeq(orgId, seq);
}
