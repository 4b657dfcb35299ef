/**
 * Text the stores cannot keep as sent: a NUL (PostgreSQL text and jsonb refuse it) or a lone UTF-16
 * surrogate (`"\ud800"` is legal JSON, but both stores turn it into U+FFFD, so the row written is
 * not the row asked for).
 */

/** With the `u` flag a proper pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `text` cannot be stored, as the end of a `<field>: …` message, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000); remove it';
  if (LONE_SURROGATE.test(text))
    return 'contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape); send valid Unicode';
  return null;
}
