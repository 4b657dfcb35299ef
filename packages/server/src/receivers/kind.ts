/**
 * What every receiver (one file per tool) provides: how the tool proves a delivery is its own,
 * how it names a delivery (so a retry stores nothing new), and how its payload becomes events.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ReceiverDefaults {
  /** The receiver's `subject`, for payloads that name no environment. */
  subject: string | null;
  /** The receiver's `source`, for payloads that name no system. */
  source: string | null;
}

/** An event as a receiver makes it, before the shared steps (id, raw payload, version length, defaults). */
export interface MappedEvent {
  type: string;
  source: string | null;
  subject?: string | null;
  time?: string | number | null;
  version?: string | null;
  severity?: 'LOW' | 'MINOR' | 'MAJOR' | 'CRITICAL' | null;
  correlationid?: string | null;
  data: Record<string, unknown>;
}

/** Either the events a delivery makes, or why a delivery the tool really sends makes none (a ping). */
export type Mapped = { events: MappedEvent[] } | { ignored: string };

export interface ReceiverKind {
  kind: string;
  /** How the tool authenticates, in words for the 401 and the docs. */
  proof: string;
  /** Whether the raw body carries the tool's proof made with `secret`. */
  verify(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string): boolean;
  /** The tool's own delivery id, or null when it sends none (then the body's digest stands in). */
  deliveryId(headers: IncomingHttpHeaders, payload: Record<string, unknown>): string | null;
  /** Throws NotTheToolError when the payload is not what this tool sends. */
  map(payload: Record<string, unknown>, headers: IncomingHttpHeaders, defaults: ReceiverDefaults): Mapped;
}

/** The payload is not what the tool sends: the 400 names the tool and what was missing. */
export class NotTheToolError extends Error {}
