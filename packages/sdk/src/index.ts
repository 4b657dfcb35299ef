/** @opstrails/sdk: the typed client of the OpsTrails HTTP API. */
export {
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type ExportOptions,
  OpsTrailsClient,
  type OpsTrailsClientOptions,
  type TrackEventInput,
} from './client.js';
export {
  AuthenticationError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  OpsTrailsError,
  QuotaExceededError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export type { TailFilters, TailOptions } from './tail.js';
export type {
  BatchRejection,
  BatchResult,
  CloudEvent,
  ErrorCode,
  EventPage,
  EventQueryParams,
  Severity,
  StoredEvent,
} from './types.js';
