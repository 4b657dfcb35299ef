/**
 * A client written against the hosted SDK's public surface only (its exports, field names and
 * option types), as its users write them. build.test.ts compiles it with tsc against the
 * published declarations, ESM and CommonJS, and runs it against a real server.
 */
import {
  type ApiErrorResponse,
  type ApiResponse,
  type ApiSuccessResponse,
  AuthenticationError,
  type ClientOptions,
  type CloudEvent,
  createErrorFromResponse,
  type EventData,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  OpsTrailsClient,
  OpsTrailsError,
  QuotaExceededError,
  type RetryOptions,
  type Severity,
  TimeoutError,
  type TrackEventOptions,
  type TrackEventResponse,
  ValidationError,
} from '@opstrails/sdk';

/** What went wrong, in the hosted README's words: class, status and code. */
function describeError(error: unknown): string {
  if (error instanceof AuthenticationError) return `AuthenticationError ${error.status} ${error.code}`;
  if (error instanceof ForbiddenError) return `ForbiddenError ${error.status} ${error.code}`;
  if (error instanceof ValidationError) return `ValidationError ${error.status} ${error.code}`;
  if (error instanceof QuotaExceededError) return `QuotaExceededError ${error.status} ${error.code}`;
  if (error instanceof NotFoundError) return `NotFoundError ${error.status} ${error.code}`;
  if (error instanceof NetworkError) return `NetworkError ${error.status} ${error.code}`;
  if (error instanceof TimeoutError) return `TimeoutError ${error.status} ${error.code}`;
  if (error instanceof OpsTrailsError) return `OpsTrailsError ${error.status} ${error.code}`;
  return 'not an OpsTrailsError';
}

async function attempt(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'no error';
  } catch (error) {
    return describeError(error);
  }
}

/** Sends and fails the ways a CI script does; returns one line per step. */
export async function run(baseUrl: string, apiKey: string): Promise<string[]> {
  const retry: RetryOptions = { maxRetries: 0, initialDelayMs: 10, backoffMultiplier: 2, maxJitter: 0 };
  const options: ClientOptions = { apiKey, baseUrl, timeout: 5_000, retry };
  const client = new OpsTrailsClient(options);
  const lines: string[] = [];

  const severity: Severity = 'MAJOR';
  const data: EventData = { description: 'Deployed v1.2.3 to production', pr: 42 };
  const deployment: TrackEventOptions = {
    type: 'deployment',
    source: '//github.com/acme/api',
    subject: 'production',
    version: 'v1.2.3',
    severity,
    data,
    time: new Date('2026-01-15T12:30:00Z'),
  };
  const stored: TrackEventResponse = await client.trackEvent(deployment);
  lines.push(`trackEvent ${stored.type} ${stored.time} ${stored.severity} ${stored.data?.description}`);

  const raw: CloudEvent = { specversion: '1.0', type: 'rollback', source: 'BE', time: 'NOW' };
  const rawStored: TrackEventResponse = await client.sendRawEvent(raw);
  lines.push(`sendRawEvent ${rawStored.type} ${rawStored.source} ${typeof rawStored.id}`);

  lines.push(`invalid: ${await attempt(() => client.trackEvent({ type: '', source: 'BE' }))}`);
  const stranger = new OpsTrailsClient({ apiKey: 'ot_unknown', baseUrl, retry });
  lines.push(`unknown key: ${await attempt(() => stranger.trackEvent(deployment))}`);
  // Port 1 on loopback: nothing listens there, so no answer ever comes.
  const offline = new OpsTrailsClient({ apiKey, baseUrl: 'http://127.0.0.1:1', retry });
  lines.push(`offline: ${await attempt(() => offline.trackEvent(deployment))}`);

  const quota: ApiErrorResponse = { success: false, error: 'Monthly limit reached', code: 'QUOTA_EXCEEDED' };
  const answer: ApiResponse<TrackEventResponse> = quota;
  if (!answer.success)
    lines.push(`createErrorFromResponse: ${describeError(createErrorFromResponse(answer, 429))}`);
  const success: ApiSuccessResponse<TrackEventResponse> = { success: true, data: stored };
  lines.push(`envelope ${success.success} ${success.data.id === stored.id}`);
  return lines;
}
