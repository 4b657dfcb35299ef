/** Every limit of the event model and the API, in one place (contract sections 1-2). */
export const LIMITS = {
  typeMax: 100,
  sourceMax: 500,
  idMax: 200,
  subjectMax: 50,
  versionMax: 50,
  datacontenttypeMax: 200,
  dataschemaMax: 500,
  descriptionMax: 1_000,
  timezoneMax: 50,
  /** The serialized event, in bytes. */
  eventBytesMax: 10_240,
  /** How deep `data` may nest (ours): deeper payloads are almost always a bug in the sender. */
  dataDepthMax: 32,
  /** How deep an MCP JSON-RPC body may nest (ours): tool arguments are flat; deeper is an attack. */
  mcpBodyDepthMax: 64,
  batchMax: 1_000,
  queryLimitDefault: 25,
  queryLimitMax: 1_000,
  /** Longest accepted request URL (ours): a query string past this is refused with 414. */
  urlBytesMax: 8_192,
  businessContextMax: 20_000,
  /** Longest free-text search (ours): longer than any searched field, and SQLite caps LIKE patterns at 50,000 bytes. */
  searchMax: 1_000,
} as const;

export const SEVERITIES = ['LOW', 'MINOR', 'MAJOR', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** API key scopes, weakest first: ADMIN (ours) may also change configuration; each includes the ones before it. */
export const SCOPES = ['READ_ONLY', 'READ_WRITE', 'ADMIN'] as const;
export type Scope = (typeof SCOPES)[number];

/** Console roles, strongest first: OWNER and ADMIN manage keys, members and settings; MEMBER reads. */
export const ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];
