/**
 * Analytics integrations and metric mappings (extended API section 2): validation, the plan's
 * limit, secrets sealed at rest and masked in answers, and the provider of an integration.
 */
import { ApiError, formatTime, LIMITS } from '@opstrails/core';
import { isDirection } from '../domain/metrics/direction.js';
import { metricNameProblem } from '../domain/metrics/points.js';
import { formatStep, parseStep } from '../domain/metrics/step.js';
import { badRequest } from '../http/envelope.js';
import type { OutboundHttpClient } from '../outbound/http-client.js';
import type { SecretBox } from '../secrets.js';
import { newId } from '../store/ids.js';
import type { IntegrationRepository, IntegrationRow, MappingRow } from '../store/integrations.js';
import type { Store } from '../store/store.js';
import {
  INTEGRATION_CREATE_FIELDS,
  INTEGRATION_UPDATE_FIELDS,
  MAPPING_FIELDS,
  MAPPING_REQUIRED_FIELDS,
  NAME_MAX,
  QUERY_MAX,
  UNIT_MAX,
} from './bodies.js';
import type { IntegrationProvider, SplitConfig, TestOutcome } from './provider.js';
import { PROVIDERS, providerNames } from './registry.js';

function object(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${example}`);
  return body as Record<string, unknown>;
}

function onlyFields(body: Record<string, unknown>, fields: readonly string[]): void {
  const unknown = Object.keys(body).find((k) => !fields.includes(k));
  if (unknown) throw badRequest(unknown.slice(0, 100), `is not a field here (${fields.join(', ')})`);
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(field, `must be a non-empty string of at most ${max} characters`);
  if ([...value].length > max) throw badRequest(field, `is longer than ${max} characters; shorten it`);
  return value;
}

const notFound = (what: string, id: string) =>
  new ApiError('NOT_FOUND', `${what} "${id.slice(0, 100)}" does not exist in this organization`);

export interface IntegrationAnswer {
  id: string;
  provider: string;
  name: string;
  config: Record<string, unknown>;
  status: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MappingAnswer {
  id: string;
  metric: string;
  integrationId: string;
  provider: string | null;
  query: string;
  subjects: string[];
  source: string | null;
  unit: string | null;
  direction: string;
  subjectValues: Record<string, string>;
  step: string | null;
  createdAt: string;
  updatedAt: string;
}

export class IntegrationService {
  constructor(
    private readonly store: Store,
    readonly rows: IntegrationRepository,
    private readonly box: SecretBox,
    private readonly http: OutboundHttpClient,
  ) {}

  private split(row: IntegrationRow): SplitConfig {
    return {
      plain: JSON.parse(row.config) as Record<string, unknown>,
      secrets: row.secrets ? (JSON.parse(this.box.open(row.secrets)) as Record<string, string>) : {},
    };
  }

  answer(row: IntegrationRow): IntegrationAnswer {
    const definition = PROVIDERS[row.provider];
    let config: Record<string, unknown>;
    try {
      config = definition ? definition.describe(this.split(row)) : JSON.parse(row.config);
    } catch {
      // A secret sealed with another OPSTRAILS_SECRET: show the plain fields; the test says what to do.
      config = JSON.parse(row.config) as Record<string, unknown>;
    }
    return {
      id: row.id,
      provider: row.provider,
      name: row.name,
      config,
      status: row.status,
      lastError: row.last_error,
      createdAt: formatTime(Number(row.created_at)),
      updatedAt: formatTime(Number(row.updated_at)),
    };
  }

  async create(orgId: string, body: unknown, now = Date.now()): Promise<IntegrationAnswer> {
    const b = object(
      body,
      '{"provider": "prometheus", "name": "Prometheus", "config": {"url": "http://prometheus:9090"}}',
    );
    onlyFields(b, INTEGRATION_CREATE_FIELDS);
    if (typeof b.provider !== 'string' || !PROVIDERS[b.provider])
      throw badRequest(
        'provider',
        `must be one of ${providerNames().join(', ')}, not ${JSON.stringify(b.provider) ?? 'missing'}`,
      );
    const definition = PROVIDERS[b.provider];
    const name = text(b.name, 'name', NAME_MAX);
    const config = (definition as NonNullable<typeof definition>).parseConfig(b.config);
    const org = await this.store.organizations.byId(orgId);
    const max = org ? org.limits.analyticsIntegrations : null;
    if (max !== null && (await this.rows.count(orgId)) >= max)
      throw new ApiError(
        'FORBIDDEN',
        `analytics integrations: the ${org?.plan} plan allows ${max}; delete one first`,
      );
    const row: IntegrationRow = {
      id: newId('int'),
      org_id: orgId,
      provider: b.provider,
      name,
      config: JSON.stringify(config.plain),
      secrets: Object.keys(config.secrets).length > 0 ? this.box.seal(JSON.stringify(config.secrets)) : null,
      status: 'untested',
      last_error: null,
      created_at: now,
      updated_at: now,
    };
    await this.rows.insert(row);
    return this.answer(row);
  }

  async get(orgId: string, id: string): Promise<IntegrationRow> {
    const row = await this.rows.get(orgId, id);
    if (!row) throw notFound('integration', id);
    return row;
  }

  async update(orgId: string, id: string, body: unknown, now = Date.now()): Promise<IntegrationAnswer> {
    const b = object(body, '{"name": "…"} or {"config": {…}}');
    onlyFields(b, INTEGRATION_UPDATE_FIELDS);
    const row = await this.get(orgId, id);
    const change: Partial<IntegrationRow> = { updated_at: now };
    if (b.name !== undefined) change.name = text(b.name, 'name', NAME_MAX);
    if (b.config !== undefined) {
      const definition = PROVIDERS[row.provider];
      if (!definition) throw badRequest('provider', `${row.provider} is not served by this version`);
      let stored: Record<string, string> = {};
      try {
        stored = this.split(row).secrets;
      } catch {
        // Unreadable secrets (another OPSTRAILS_SECRET): the new config must carry them again.
      }
      const config = definition.parseConfig(b.config, stored);
      change.config = JSON.stringify(config.plain);
      change.secrets =
        Object.keys(config.secrets).length > 0 ? this.box.seal(JSON.stringify(config.secrets)) : null;
      change.status = 'untested';
      change.last_error = null;
    }
    await this.rows.update(orgId, id, change);
    return this.answer({ ...row, ...change });
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.get(orgId, id);
    const mapped = await this.rows.mappingsOf(orgId, id);
    if (mapped.length > 0) {
      throw new ApiError(
        'CONFLICT',
        `integration ${id} is used by ${mapped.length} mapping(s) (${[...new Set(mapped.map((m) => m.metric))].join(', ')}); delete them first (DELETE /api/v1/metrics/mappings/{id})`,
      );
    }
    await this.rows.delete(orgId, id);
  }

  /** The provider behind an integration, with its secrets opened. */
  provider(row: IntegrationRow): IntegrationProvider {
    const definition = PROVIDERS[row.provider];
    if (!definition)
      throw new ApiError('VALIDATION_ERROR', `provider ${row.provider} is not served by this version`);
    return definition.create(this.split(row), this.http);
  }

  /** Records what the provider last answered, shown as the integration's status and lastError. */
  async record(row: IntegrationRow, outcome: TestOutcome, now = Date.now()): Promise<void> {
    const status = outcome.ok ? 'ok' : 'error';
    const lastError = outcome.ok ? null : outcome.message;
    if (row.status === status && row.last_error === lastError) return;
    await this.rows.update(row.org_id, row.id, { status, last_error: lastError, updated_at: now });
  }

  async test(orgId: string, id: string): Promise<TestOutcome & { latencyMs: number }> {
    const row = await this.get(orgId, id);
    const started = performance.now();
    let outcome: TestOutcome;
    try {
      outcome = await this.provider(row).test();
    } catch (error) {
      outcome = { ok: false, message: (error as Error).message };
    }
    const latencyMs = Math.round(performance.now() - started);
    await this.record(row, outcome);
    return { ...outcome, latencyMs };
  }

  // Mappings

  mappingAnswer(row: MappingRow, integrations: Map<string, IntegrationRow>): MappingAnswer {
    return {
      id: row.id,
      metric: row.metric,
      integrationId: row.integration_id,
      provider: integrations.get(row.integration_id)?.provider ?? null,
      query: row.query,
      subjects: JSON.parse(row.subjects) as string[],
      source: row.source,
      unit: row.unit,
      direction: row.direction,
      subjectValues: JSON.parse(row.subject_values) as Record<string, string>,
      step: row.step_ms === null ? null : formatStep(Number(row.step_ms)),
      createdAt: formatTime(Number(row.created_at)),
      updatedAt: formatTime(Number(row.updated_at)),
    };
  }

  async integrationsById(orgId: string): Promise<Map<string, IntegrationRow>> {
    return new Map((await this.rows.list(orgId)).map((r) => [r.id, r]));
  }

  async createMapping(orgId: string, body: unknown, now = Date.now()): Promise<MappingAnswer> {
    const b = object(
      body,
      '{"metric": "error_rate", "integrationId": "int_…", "query": "sum(rate(http_requests_total{env=\\"$subject\\",code=~\\"5..\\"}[5m]))", "subjects": ["PRODUCTION"], "direction": "lower-is-better"}',
    );
    for (const field of MAPPING_REQUIRED_FIELDS)
      if (b[field] === undefined) throw badRequest(field, 'is required');
    const fields = await this.mappingFields(orgId, b, null);
    const row: MappingRow = {
      id: newId('map'),
      org_id: orgId,
      ...(fields as Omit<MappingRow, 'id' | 'org_id' | 'created_at' | 'updated_at'>),
      created_at: now,
      updated_at: now,
    };
    await this.checkOverlap(orgId, row);
    await this.rows.insertMapping(row);
    return this.mappingAnswer(row, await this.integrationsById(orgId));
  }

  async updateMapping(orgId: string, id: string, body: unknown, now = Date.now()): Promise<MappingAnswer> {
    const b = object(body, '{"query": "…"}');
    const current = await this.rows.mapping(orgId, id);
    if (!current) throw notFound('mapping', id);
    const change = await this.mappingFields(orgId, b, current);
    const row = { ...current, ...change, updated_at: now };
    await this.checkOverlap(orgId, row);
    await this.rows.updateMapping(orgId, id, { ...change, updated_at: now });
    return this.mappingAnswer(row, await this.integrationsById(orgId));
  }

  async deleteMapping(orgId: string, id: string): Promise<void> {
    if (!(await this.rows.deleteMapping(orgId, id))) throw notFound('mapping', id);
  }

  /** Validates the mapping fields present in `b` (all of them on create). */
  private async mappingFields(
    orgId: string,
    b: Record<string, unknown>,
    current: MappingRow | null,
  ): Promise<Partial<MappingRow>> {
    onlyFields(b, MAPPING_FIELDS);
    const out: Partial<MappingRow> = {};
    if (b.metric !== undefined) {
      const problem = metricNameProblem(b.metric);
      if (problem) throw new ApiError('VALIDATION_ERROR', problem);
      out.metric = b.metric as string;
    }
    if (b.integrationId !== undefined) {
      if (typeof b.integrationId !== 'string' || !(await this.rows.get(orgId, b.integrationId)))
        throw badRequest(
          'integrationId',
          `${JSON.stringify(b.integrationId)} is not an integration of this organization (GET /api/v1/integrations)`,
        );
      out.integration_id = b.integrationId;
    }
    if (b.query !== undefined) out.query = text(b.query, 'query', QUERY_MAX);
    if (b.subjects !== undefined) {
      if (!Array.isArray(b.subjects) || b.subjects.length === 0 || b.subjects.length > 100)
        throw badRequest(
          'subjects',
          'must be a list of 1-100 subjects, such as ["PRODUCTION"], or ["*"] for every subject',
        );
      const subjects = b.subjects.map((s, i) => text(s, `subjects[${i}]`, LIMITS.subjectMax));
      if (subjects.includes('*') && subjects.length > 1)
        throw badRequest('subjects', '["*"] means every subject; list nothing beside it');
      out.subjects = JSON.stringify([...new Set(subjects)]);
    }
    if (b.source !== undefined)
      out.source = b.source === null ? null : text(b.source, 'source', LIMITS.sourceMax);
    if (b.unit !== undefined) out.unit = b.unit === null ? null : text(b.unit, 'unit', UNIT_MAX);
    if (b.direction !== undefined) {
      if (!isDirection(b.direction))
        throw badRequest(
          'direction',
          `must be lower-is-better, higher-is-better or either, not ${JSON.stringify(b.direction)}`,
        );
      out.direction = b.direction;
    }
    if (b.subjectValues !== undefined) {
      const v = b.subjectValues;
      if (v === null) out.subject_values = '{}';
      else {
        if (typeof v !== 'object' || Array.isArray(v))
          throw badRequest(
            'subjectValues',
            'must be an object of subject to value, such as {"PRODUCTION": "prod"}',
          );
        for (const [subject, value] of Object.entries(v as Record<string, unknown>))
          text(value, `subjectValues.${subject.slice(0, 50)}`, 200);
        out.subject_values = JSON.stringify(v);
      }
    } else if (!current) out.subject_values = '{}';
    if (b.step !== undefined) {
      if (b.step === null) out.step_ms = null;
      else {
        const step =
          typeof b.step === 'string'
            ? parseStep(b.step)
            : { ok: false as const, message: 'must be a string such as "1m"' };
        if (!step.ok) throw badRequest('step', step.message);
        out.step_ms = step.ms;
      }
    } else if (!current) out.step_ms = null;
    if (!current) {
      out.source ??= null;
      out.unit ??= null;
    }
    return out;
  }

  /** Two mappings of one metric may not both speak for the same subject and source. */
  private async checkOverlap(orgId: string, row: MappingRow): Promise<void> {
    const subjects = new Set((JSON.parse(row.subjects) as string[]).map((s) => s.toLowerCase()));
    for (const other of await this.rows.mappings(orgId)) {
      if (other.id === row.id || other.metric !== row.metric) continue;
      if ((other.source ?? '').toLowerCase() !== (row.source ?? '').toLowerCase()) continue;
      const theirs = (JSON.parse(other.subjects) as string[]).map((s) => s.toLowerCase());
      const shared = theirs.find((s) => s === '*' || subjects.has('*') || subjects.has(s));
      if (shared !== undefined)
        throw new ApiError(
          'CONFLICT',
          `mapping ${other.id} already maps ${row.metric} for subject ${shared}${row.source ? ` and source ${row.source}` : ''}; change or delete it first`,
        );
    }
  }
}
