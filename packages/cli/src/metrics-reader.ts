/**
 * Reads the metric points of an import file one at a time, in constant memory: NDJSON (one point
 * object per line) or CSV with a header row naming the columns metric, subject, source (optional),
 * time and value. Quoted CSV fields may hold commas and doubled quotes, not line breaks.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type MetricsFormat = 'csv' | 'ndjson';

export interface PointItem {
  /** `line 12`, for messages. */
  where: string;
  point?: Record<string, unknown>;
  problem?: string;
}

export interface PointSource {
  items: AsyncGenerator<PointItem, void, undefined>;
  bytesRead(): number;
}

const COLUMNS = ['metric', 'subject', 'source', 'time', 'value'];

export function formatOf(path: string, given?: MetricsFormat): MetricsFormat | undefined {
  if (given) return given;
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  return undefined;
}

export function openPointSource(path: string, format?: MetricsFormat): PointSource {
  const input: Readable = path === '-' ? process.stdin : createReadStream(path);
  let bytes = 0;
  // Pulled chunk by chunk (never a 'data' listener, which would read the whole file ahead into memory).
  async function* lines(): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const parts = (rest + decoder.write(chunk)).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) yield part.replace(/\r$/, '');
    }
    rest += decoder.end();
    if (rest !== '') yield rest.replace(/\r$/, '');
  }
  return { items: readPoints(lines(), format), bytesRead: () => bytes };
}

/** One CSV line's fields (RFC 4180 quoting within the line). */
export function splitCsv(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return null;
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      fields.push((comma < 0 ? line.slice(i) : line.slice(i, comma)).trim());
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** A CSV cell as the webhook takes it: numbers for value and numeric times (Unix seconds). */
function cell(column: string, text: string): unknown {
  if (
    (column === 'value' || column === 'time') &&
    /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())
  )
    return Number(text);
  return text;
}

async function* readPoints(
  lines: AsyncIterable<string>,
  given?: MetricsFormat,
): AsyncGenerator<PointItem, void, undefined> {
  let format = given;
  let header: string[] | null = null;
  let n = 0;
  for await (const raw of lines) {
    n++;
    const where = `line ${n}`;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    format ??= line.trimStart().startsWith('{') ? 'ndjson' : 'csv';
    if (format === 'ndjson') {
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          yield {
            where,
            problem:
              'not a JSON object: one point per line, {"metric": …, "subject": …, "time": …, "value": …}',
          };
        else yield { where, point: value as Record<string, unknown> };
      } catch (error) {
        yield { where, problem: `not JSON (${(error as Error).message})` };
      }
      continue;
    }
    const fields = splitCsv(line);
    if (!fields) {
      yield { where, problem: 'a quoted field is not closed on its line' };
      continue;
    }
    if (!header) {
      header = fields.map((f) => f.toLowerCase());
      const unknown = header.find((h) => !COLUMNS.includes(h));
      const missing = ['metric', 'subject', 'time', 'value'].filter((c) => !header?.includes(c));
      if (unknown !== undefined || missing.length > 0)
        throw new Error(
          `${where}: the CSV header must name the columns metric, subject, time, value (and optionally source)${unknown !== undefined ? `; "${unknown}" is not one` : `; missing ${missing.join(', ')}`}`,
        );
      continue;
    }
    if (fields.length !== header.length) {
      yield { where, problem: `${fields.length} fields; the header has ${header.length}` };
      continue;
    }
    const point: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const text = fields[i] as string;
      if (column === 'source' && text === '') return;
      point[column] = cell(column, text);
    });
    yield { where, point };
  }
}
