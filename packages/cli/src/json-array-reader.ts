/**
 * Splits a JSON array arriving in chunks into the source text of its elements, one at a time,
 * so a file of any size is read in constant memory. Only the top level is scanned; each element
 * is then parsed on its own.
 */
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export async function* splitJsonArray(
  chunks: AsyncIterable<string>,
): AsyncGenerator<string, void, undefined> {
  let buffer = '';
  let pos = 0;
  let start = -1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let opened = false;
  for await (const chunk of chunks) {
    buffer += chunk;
    for (; pos < buffer.length; pos++) {
      const c = buffer.charCodeAt(pos);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (WHITESPACE.has(c)) continue;
      if (!opened) {
        if (c !== 0x5b) throw new Error('not a JSON array: the file must start with "["');
        opened = true;
        continue;
      }
      if (c === 0x22) {
        inString = true;
        if (start < 0) start = pos;
      } else if (c === 0x7b || c === 0x5b) {
        if (start < 0) start = pos;
        depth += 1;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) {
          if (start >= 0) yield buffer.slice(start, pos).trim();
          return;
        }
        depth -= 1;
        if (depth === 0) {
          yield buffer.slice(start, pos + 1);
          start = -1;
        }
      } else if (c === 0x2c && depth === 0) {
        if (start >= 0) yield buffer.slice(start, pos).trim();
        start = -1;
      } else if (start < 0) {
        start = pos;
      }
    }
    if (start >= 0) {
      buffer = buffer.slice(start);
      pos -= start;
      start = 0;
    } else {
      buffer = '';
      pos = 0;
    }
  }
  throw new Error(
    opened ? 'the JSON array is cut short: no closing "]"' : 'the file is empty: expected a JSON array',
  );
}
