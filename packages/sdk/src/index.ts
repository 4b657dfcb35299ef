/** @opstrails/sdk: the typed client of the OpsTrails HTTP API (a superset of the hosted SDK's surface). */
export {
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type ExportOptions,
  OpsTrailsClient,
  type OpsTrailsClientOptions,
  type TrackEventInput,
  type TrackEventOptions,
} from './client.js';
export {
  COMMITS_MAX,
  type Commit,
  type DeliveryInfo,
  DeliveryInfoError,
  deliveryFields,
  fitCommits,
} from './delivery.js';
export { DESCRIPTION_MAX, fitDescription } from './description.js';
export {
  AuthenticationError,
  createErrorFromResponse,
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
  ApiErrorResponse,
  ApiResponse,
  ApiSuccessResponse,
  BatchRejection,
  BatchResult,
  CloudEvent,
  ErrorCode,
  EventData,
  EventPage,
  EventQueryParams,
  MetricPoint,
  MetricsResult,
  Severity,
  StoredEvent,
  TrackEventResponse,
} from './types.js';
