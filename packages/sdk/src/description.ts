/**
 * Fitting `data.description` to the server's limit: the Action and the CLI cut a long one
 * rather than fail a CI step because a commit message or changelog ran long. The server itself
 * stays strict.
 */

/** The contract's limit on `data.description`, in UTF-16 code units as the server counts. */
export const DESCRIPTION_MAX = 1_000;

/**
 * The description cut to the limit with a closing "…", or as given when it fits; `cutFrom` is
 * the original length when it was cut.
 */
export function fitDescription(text: string): { text: string; cutFrom?: number } {
  if (text.length <= DESCRIPTION_MAX) return { text };
  let head = text.slice(0, DESCRIPTION_MAX - 1);
  // Never leave half of a surrogate pair (an emoji) at the cut.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return { text: `${head}…`, cutFrom: text.length };
}
