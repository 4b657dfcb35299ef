/**
 * `OpsTrailsClient`: the hosted SDK's surface and behaviour (contract section 9), plus batch
 * sends, paged queries, single-event reads, streamed exports and the live feed. Uses the global `fetch`.
 */
import { type DeliveryInfo, deliveryFields } from './delivery.js';
import { createErrorFromResponse, NetworkError, OpsTrailsError, TimeoutError } from './errors.js';
import { describe, parseEnvelope, queryString, sleep } from './http-helpers.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  type RetryOptions,
} from './retry.js';
import { followFeed, type TailFilters, type TailOptions } from './tail.js';
import type {
  BatchResult,
  CloudEvent,
  EventData,
  EventPage,
  EventQueryParams,
  MetricPoint,
  MetricsResult,
  StoredEvent,
  TrackEventResponse,
} from './types.js';

export const DEFAULT_BASE_URL = 'https://api.opstrails.dev';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  /** An API key (`ot_...`); READ_WRITE to send events, READ_ONLY is enough to query. */
  apiKey: string;
  /** The server, e.g. `http://127.0.0.1:8080`; trailing slashes are ignored. Default: the hosted service. */
  baseUrl?: string;
  /** Milliseconds to wait for each attempt's answer. Default 30,000. */
  timeout?: number;
  retry?: Partial<RetryOptions>;
}

/** The earlier name of `ClientOptions`. */
export type OpsTrailsClientOptions = ClientOptions;

/**
 * What `trackEvent` needs; it fills in `specversion` and, unless given, `time: "NOW"`. For
 * delivery metrics, `commits` / `commitTime` go to `data` and `causedBy` to the `causationid`
 * extension (see DeliveryInfo).
 */
export interface TrackEventOptions extends DeliveryInfo {
  type: string;
  source: string;
  id?: string;
  /** `"NOW"` (the default), RFC 3339, RFC 2822, or a `Date`. */
  time?: string | Date;
  subject?: string;
  severity?: CloudEvent['severity'];
  version?: string;
  data?: EventData;
}

/** The earlier name of `TrackEventOptions`. */
export type TrackEventInput = TrackEventOptions;

/** The range and filters of an export, and its format (default NDJSON: one event per line). */
export interface ExportOptions extends Omit<EventQueryParams, 'limit' | 'cursor'> {
  format?: 'ndjson' | 'json';
}

interface Envelope<T> {
  success: boolean;
  data?: T;
  error?: string;
  code?: string;
}

export class OpsTrailsClient {
  readonly baseUrl: string;
  readonly timeout: number;
  readonly retry: Required<RetryOptions>;
  readonly #apiKey: string;

  constructor(options: ClientOptions) {
    if (!options || typeof options.apiKey !== 'string' || options.apiKey === '') {
      throw new OpsTrailsError(
        'apiKey is required: pass the ot_... key of your organization',
        'MISSING_API_KEY',
      );
    }
    this.#apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    // An option given as undefined keeps its default rather than turning the policy off.
    const given = Object.entries(options.retry ?? {}).filter(([, value]) => value !== undefined);
    this.retry = { ...DEFAULT_RETRY, ...Object.fromEntries(given) };
  }

  /**
   * Sends one event, filling `specversion: "1.0"` and `time: "NOW"`. An `id` is generated when
   * absent, so a retry after a lost answer finds the stored event instead of adding a second one.
   *
   * @example
   * await client.trackEvent({ type: 'deployment', source: 'BE', subject: 'PRODUCTION', version: 'v1.2.3' });
   * await client.trackEvent({ type: 'incident', source: 'pagerduty', subject: 'PRODUCTION', causedBy: 'deploy-812' });
   */
  async trackEvent(input: TrackEventOptions): Promise<TrackEventResponse> {
    const { time, commits, commitTime, causedBy, ...rest } = input;
    const delivery = deliveryFields({ commits, commitTime, causedBy });
    const data = Object.keys(delivery.data).length > 0 ? { ...rest.data, ...delivery.data } : rest.data;
    return this.sendRawEvent({
      ...rest,
      ...delivery.extensions,
      ...(data === undefined ? {} : { data }),
      specversion: '1.0',
      id: input.id ?? globalThis.crypto.randomUUID(),
      time: time instanceof Date ? time.toISOString() : (time ?? 'NOW'),
    });
  }

  /** Sends a complete CloudEvent as given. */
  async sendRawEvent(event: CloudEvent): Promise<TrackEventResponse> {
    return this.#json<TrackEventResponse>('POST', '/api/v1/events', event);
  }

  /**
   * Sends up to 1,000 events in one request. Each is validated on its own: the answer lists the
   * stored events (`created` counts the new ones; the others were already stored) and, by index,
   * the rejected ones with their error and code.
   */
  async sendBatch(events: CloudEvent[]): Promise<BatchResult> {
    return this.#json<BatchResult>('POST', '/api/v1/events', events);
  }

  /**
   * Sends 1 to 5,000 metric points (`POST /api/v1/metrics/webhook`). Each is validated on its own;
   * a point for a metric, subject, source and time already stored replaces its value, so a
   * retried request stores nothing twice.
   *
   * @example
   * await client.sendMetrics([{ metric: 'error_rate', subject: 'PRODUCTION', time: new Date(), value: 0.012 }]);
   */
  async sendMetrics(points: MetricPoint[]): Promise<MetricsResult> {
    const body = points.map((p) => (p.time instanceof Date ? { ...p, time: p.time.toISOString() } : p));
    return this.#json<MetricsResult>('POST', '/api/v1/metrics/webhook', body);
  }

  /** One page of events, newest first; pass `nextCursor` back as `cursor` for the next one. */
  async listEvents(filters: EventQueryParams = {}): Promise<EventPage> {
    return this.#json<EventPage>('GET', `/api/v1/events${queryString(filters)}`);
  }

  /**
   * Every event matching the filters, newest first, fetching page after page (`limit` events
   * each) as the loop asks for more.
   *
   * @example
   * for await (const event of client.queryEvents({ from: '-7d', type: 'deployment' })) console.log(event.id);
   */
  async *queryEvents(filters: EventQueryParams = {}): AsyncGenerator<StoredEvent, void, undefined> {
    let cursor = filters.cursor;
    do {
      const page = await this.listEvents({ ...filters, cursor });
      yield* page.events;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** One event by id; `source` picks it when several sources used the same id. */
  async getEvent(id: string, options: { source?: string } = {}): Promise<StoredEvent> {
    const query = options.source === undefined ? '' : `?source=${encodeURIComponent(options.source)}`;
    return this.#json<StoredEvent>('GET', `/api/v1/events/${encodeURIComponent(id)}${query}`);
  }

  /**
   * Every event in a range, oldest first, as a byte stream (NDJSON by default, or a JSON array).
   * Memory stays flat however large the export.
   *
   * @example
   * const stream = await client.exportEvents({ from: '2026-01-01T00:00:00Z' });
   * await stream.pipeTo(Writable.toWeb(createWriteStream('events.ndjson')));
   */
  async exportEvents(options: ExportOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const { format = 'ndjson', ...filters } = options;
    const { response } = await this.#send(
      'GET',
      `/api/v1/events/export${queryString({ ...filters, format })}`,
      undefined,
    );
    if (!response.body) throw new NetworkError('the export answer had no body');
    return response.body;
  }

  /**
   * The live feed: each new event as the server stores it, oldest first, until the signal aborts
   * or the loop breaks. A dropped connection is reopened with `Last-Event-ID`, so nothing sent
   * in between is missed or repeated. Authentication and other 4xx failures end the feed.
   *
   * @example
   * for await (const event of client.tailEvents({ subject: 'PRODUCTION' })) console.log(event.type, event.source);
   */
  async *tailEvents(
    filters: TailFilters = {},
    options: TailOptions = {},
  ): AsyncGenerator<StoredEvent, void, undefined> {
    yield* followFeed(
      `${this.baseUrl}/api/v1/events/stream${queryString(filters)}`,
      this.#apiKey,
      this.timeout,
      options,
    );
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { response, text } = await this.#send(method, path, body, true);
    let envelope: Envelope<T>;
    try {
      envelope = JSON.parse(text ?? '') as Envelope<T>;
    } catch {
      throw new OpsTrailsError(
        `the answer from ${this.baseUrl}${path} is not OpsTrails JSON; check baseUrl (the API, not the console)`,
        'INVALID_RESPONSE',
        response.status,
      );
    }
    return envelope.data as T;
  }

  /**
   * One request under the retry policy: 429, 5xx, network failures and timeouts are retried,
   * unless the server asks for a longer wait than `maxRetryDelayMs` (then the error is thrown
   * at once, carrying the time to come back).
   */
  async #send(method: string, path: string, body: unknown, readBody = false): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(method, path, body, readBody);
      if (!('error' in outcome)) return outcome;
      if (!this.#worthRetrying(outcome) || attempt >= this.retry.maxRetries) throw outcome.error;
      await sleep(outcome.retryAfterMs ?? backoffDelay(this.retry, attempt));
    }
  }

  /** A failure worth another attempt: retryable, within the wait bound, and not a quota the caller fails fast on. */
  #worthRetrying({ error, retryable, retryAfterMs }: Failure): boolean {
    if (!retryable) return false;
    if (retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryDelayMs) return false;
    return !(error.code === 'QUOTA_EXCEEDED' && !this.retry.retryQuotaExceeded);
  }

  /**
   * One attempt. With `readBody` the timeout covers reading the answer too; without it
   * (streams) it ends when the headers arrive, so a long export is never cut off.
   */
  async #attempt(method: string, path: string, body: unknown, readBody: boolean): Promise<Answer | Failure> {
    const url = `${this.baseUrl}${path}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeout);
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      if (response.ok) return { response, text: readBody ? await response.text() : undefined };
      const text = await response.text();
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return {
        error: createErrorFromResponse(parseEnvelope(text), response.status, retryAfterMs),
        retryable: isRetryableStatus(response.status),
        retryAfterMs,
      };
    } catch (cause) {
      if (timedOut) {
        return {
          error: new TimeoutError(`no answer from ${url} within ${this.timeout} ms`),
          retryable: true,
        };
      }
      return {
        error: new NetworkError(`could not reach ${url}: ${describe(cause)}`, cause),
        retryable: true,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Answer {
  response: Response;
  text: string | undefined;
}

interface Failure {
  error: OpsTrailsError;
  retryable: boolean;
  retryAfterMs?: number;
}
