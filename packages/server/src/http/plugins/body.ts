/**
 * Body parsing: strict UTF-8, JSON with prototype-poisoning keys refused, and any other media
 * type kept as raw bytes (CloudEvents binary mode decides what to do with it).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { checkJsonShape } from './json-shape.js';

export const JSON_TYPES = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'application/cdevents+json',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strictly: invalid UTF-8 is refused rather than silently replaced with U+FFFD. */
export function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body: is not valid UTF-8; send JSON encoded as UTF-8');
  }
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = body as Buffer;
    // Many HTTP clients send Content-Type: application/json on every request, bodiless DELETEs
    // included; and CloudEvents binary mode sends an event without data as ce-* headers and an
    // empty body (the CloudEvents SDK does, with Content-Type: application/json).
    if (
      buffer.length === 0 &&
      (request.method === 'DELETE' || request.headers['ce-specversion'] !== undefined)
    ) {
      done(null, undefined);
      return;
    }
    if (buffer.length === 0) {
      // Only the events route takes events; the console routes take a JSON object.
      const expected = request.url.startsWith('/api/v1/events')
        ? 'a JSON event or an array of events'
        : 'a JSON object';
      done(new ApiError('VALIDATION_ERROR', `request body: is empty; send ${expected}`), undefined);
      return;
    }
    let text: string;
    try {
      text = decodeUtf8(buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = /forbidden prototype/i.test(message)
        ? 'contains a "__proto__" or "constructor.prototype" key, which is not allowed'
        : `is not valid JSON (${message})`;
      done(new ApiError('VALIDATION_ERROR', `request body: ${reason}`), undefined);
      return;
    }
    // Events are checked one by one in core's validateEvent, so a bad batch element is rejected alone.
    const problem = request.url.split('?')[0] === '/api/v1/events' ? null : checkJsonShape(parsed);
    done(problem ? new ApiError('VALIDATION_ERROR', problem) : null, problem ? undefined : parsed);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}
