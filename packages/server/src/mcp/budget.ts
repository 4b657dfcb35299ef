/**
 * The size budget of every tool answer, one mechanism for all tools: no answer (its text and its
 * structured result together, as a client may hand both to the model) goes past
 * ANSWER_BYTES_MAX. Clients refuse answers past 25,000 tokens, and an answer that big crowds
 * out the conversation anyway.
 *
 * Tokens are counted in bytes because the server has no tokenizer: the densest text measured
 * (random base64, punctuation) takes 1.46 bytes a token with the o200k encoding (JSON events
 * 2.8, prose 5), so 28,000 bytes stay under 20,000 tokens whatever the events carry. The tool
 * tests count the real tokens with gpt-tokenizer at the worst cases (docs/mcp.md).
 *
 * A tool that lists things fits its list with `fitPrefix` (the longest prefix that fits, a
 * cursor for the rest) and shows slim events (`slimEvent`); what still does not fit is clipped
 * by `clipToBudget`, which `defineTool` applies to every answer, and the answer says so.
 */
import type { StoredEvent } from '@opstrails/core';
import type { SuggestedCall } from './schemas.js';

export const ANSWER_TOKENS_MAX = 20_000;
/** The densest text measured, in bytes per token (o200k): see above. */
export const BYTES_PER_TOKEN_WORST = 1.4;
export const ANSWER_BYTES_MAX = Math.floor(ANSWER_TOKENS_MAX * BYTES_PER_TOKEN_WORST);

interface Sized {
  data: unknown;
  text: string;
  next: SuggestedCall[];
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The answer's size as sent: the text (the server appends the suggested calls) and the structured result. */
export function answerBytes(answer: Sized): number {
  const next = bytes(JSON.stringify(answer.next));
  return bytes(answer.text) + bytes(JSON.stringify(answer.data)) + 2 * next;
}

export const fits = (answer: Sized, max = ANSWER_BYTES_MAX): boolean => answerBytes(answer) <= max;

/**
 * The answer showing the most items that fits: `build(n)` makes the answer showing the first n
 * of `total` items (its size grows with n). Binary search: a handful of renderings, not n.
 */
export function fitPrefix<A extends Sized>(
  total: number,
  build: (shown: number) => A,
  max = ANSWER_BYTES_MAX,
): { answer: A; shown: number } {
  const whole = build(total);
  if (total === 0 || fits(whole, max)) return { answer: whole, shown: total };
  let lo = 0;
  let hi = total - 1;
  let best = build(0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const answer = build(mid);
    if (fits(answer, max)) {
      lo = mid;
      best = answer;
    } else hi = mid - 1;
  }
  return { answer: best, shown: lo };
}

/** How much of an event's `data` a slim event keeps. */
const SLIM_DATA_BYTES = 600;
const SLIM_STRING_CHARS = 300;

/** A string cut to `max` characters, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/**
 * The event with its `data` cut to its short fields (description first), up to 600 bytes: a
 * listing shows what happened; get_event gives the whole of it. A cut says how much was left out.
 */
export function slimEvent(event: StoredEvent): StoredEvent {
  const data = event.data;
  if (data === null || bytes(JSON.stringify(data)) <= SLIM_DATA_BYTES) return event;
  const kept: Record<string, unknown> = {};
  let size = 0;
  let left = 0;
  const keys = Object.keys(data).sort((a, b) => Number(b === 'description') - Number(a === 'description'));
  for (const key of keys) {
    const value = typeof data[key] === 'string' ? clip(data[key] as string, SLIM_STRING_CHARS) : data[key];
    const cost = bytes(JSON.stringify({ [key]: value }));
    if (size + cost <= SLIM_DATA_BYTES) {
      kept[key] = value;
      size += cost;
    } else left++;
  }
  if (left > 0) kept['…'] = `${left} more field(s): see get_event`;
  return { ...event, data: kept };
}

/** Every string in the value cut to `max` characters (the structure, and so the schema, unchanged). */
function clipStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return clip(value, max);
  if (Array.isArray(value)) return value.map((v) => clipStrings(v, max));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, max)]));
  return value;
}

const isEvent = (value: unknown): value is StoredEvent =>
  value !== null && typeof value === 'object' && 'specversion' in value && 'data' in value;

function slimEvents(value: unknown): unknown {
  if (isEvent(value)) return slimEvent(value);
  if (Array.isArray(value)) return value.map(slimEvents);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, slimEvents(v)]));
  return value;
}

export const CLIPPED_NOTE = 'Clipped to fit the answer budget: long values were shortened.';

/** The text cut (at a character) to at most `room` bytes, saying so. */
function clipBytes(text: string, room: number): string {
  if (bytes(text) <= room) return text;
  let chars = Math.floor((text.length * room) / bytes(text));
  let cut = clip(text, Math.max(0, chars - 40));
  while (bytes(cut) > room && chars > 0) {
    chars = Math.floor(chars * 0.9);
    cut = clip(text, chars);
  }
  return cut;
}

/** The longest string in the value, in characters (0 when it holds none). */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  if (value !== null && typeof value === 'object')
    return Object.values(value).reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  return 0;
}

/**
 * The last line of defence, applied to every answer by defineTool: an answer past the budget
 * gets slim events, a text of at most half the budget, then its longest strings shortened just
 * enough (the shortest cut that fits, so a long business context keeps most of itself), and its
 * text says so. Tools that list things fit themselves first (fitPrefix) and seldom reach this.
 */
export function clipToBudget<A extends Sized>(answer: A, max = ANSWER_BYTES_MAX): A {
  if (fits(answer, max)) return answer;
  const text = clipBytes(`${CLIPPED_NOTE}\n${answer.text}`, Math.floor(max / 2));
  let clipped = { ...answer, text, data: slimEvents(answer.data) as A['data'] };
  if (!fits(clipped, max)) {
    // The largest string length that fits, by binary search over [40, longest].
    let lo = 40;
    let hi = longestString(clipped.data);
    const at = (limit: number) => ({ ...clipped, data: clipStrings(clipped.data, limit) as A['data'] });
    let best = at(lo);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const candidate = at(mid);
      if (fits(candidate, max)) {
        lo = mid;
        best = candidate;
      } else hi = mid - 1;
    }
    clipped = best;
  }
  // A structure too big even with short strings: the text gives way to the rest.
  const room = max - (answerBytes(clipped) - bytes(clipped.text));
  return { ...clipped, text: clipBytes(clipped.text, Math.max(200, room)) };
}
