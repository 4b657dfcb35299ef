/**
 * Reads the events of an import file (NDJSON or a JSON array, detected from the first
 * character) one at a time, in constant memory, noting where each came from for error messages.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { splitJsonArray } from './json-array-reader.js';

export type ImportFormat = 'ndjson' | 'json';

export interface ReadItem {
  /** `line 12` (NDJSON) or `event #12` (JSON array), for messages. */
  where: string;
  event?: Record<string, unknown>;
  problem?: string;
}

export interface ImportSource {
  items: AsyncGenerator<ReadItem, void, undefined>;
  /** Bytes read so far, for the progress bar. */
  bytesRead(): number;
}

export function openImportSource(path: string, format?: ImportFormat): ImportSource {
  const input: Readable = path === '-' ? process.stdin : createReadStream(path);
  let bytes = 0;
  // Pulled chunk by chunk (never a 'data' listener, which would read the whole file ahead into memory).
  async function* text(): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      yield decoder.write(chunk);
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  return { items: readItems(text(), format), bytesRead: () => bytes };
}

async function* readItems(
  chunks: AsyncGenerator<string>,
  format?: ImportFormat,
): AsyncGenerator<ReadItem, void, undefined> {
  let first = await chunks.next();
  while (!first.done && first.value === '') first = await chunks.next();
  if (first.done) return;
  const head: string = first.value;
  async function* all(): AsyncGenerator<string> {
    yield head;
    yield* chunks;
  }
  const detected = format ?? (head.trimStart().startsWith('[') ? 'json' : 'ndjson');
  if (detected === 'json') {
    let n = 0;
    for await (const text of splitJsonArray(all())) {
      n += 1;
      yield parseItem(text, `event #${n}`);
    }
    return;
  }
  let line = 0;
  let rest = '';
  for await (const chunk of all()) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const text of lines) {
      line += 1;
      if (text.trim() !== '') yield parseItem(text, `line ${line}`);
    }
  }
  if (rest.trim() !== '') yield parseItem(rest, `line ${line + 1}`);
}

/**
 * Parses one event and readies it for a resend: `createdAt` (an export artefact) goes, and an
 * event without an id gets one derived from its content, so re-running the same import never
 * stores it twice.
 */
function parseItem(text: string, where: string): ReadItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { where, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { where, problem: 'must be a JSON object (one CloudEvent)' };
  }
  const event = value as Record<string, unknown>;
  // `delete` turns the object into a slow dictionary for the serializer: only when there is something to drop.
  if ('createdAt' in event) delete event.createdAt;
  if (event.id === undefined || event.id === null) {
    event.id = `import-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  }
  return { where, event };
}
