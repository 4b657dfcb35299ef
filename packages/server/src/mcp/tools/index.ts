/** Every MCP tool, in the order a client lists them: the contract's seven, then ours. */
import type { Tool } from '../tool.js';
import { checkChangeWindow } from './check-change-window.js';
import { getDoraMetrics } from './get-dora-metrics.js';
import { getEnvironmentGrid } from './get-environment-grid.js';
import { getEvent } from './get-event.js';
import { getEventSummary } from './get-event-summary.js';
import { getMetricsAroundEvent } from './get-metrics-around-event.js';
import { getOrganizationContext } from './get-organization-context.js';
import { getPromotionPath } from './get-promotion-path.js';
import { getUptime } from './get-uptime.js';
import { listEventSources } from './list-event-sources.js';
import { listEventSubjects } from './list-event-subjects.js';
import { listEventTypes } from './list-event-types.js';
import { listGuardrailViolations } from './list-guardrail-violations.js';
import { listHealthChecks } from './list-health-checks.js';
import { queryEvents } from './query-events.js';
import { whatChanged } from './what-changed.js';

export const TOOLS: Tool[] = [
  getOrganizationContext,
  queryEvents,
  getEventSummary,
  listEventTypes,
  listEventSources,
  listEventSubjects,
  getMetricsAroundEvent,
  getEvent,
  getEnvironmentGrid,
  whatChanged,
  getPromotionPath,
  getDoraMetrics,
  listGuardrailViolations,
  checkChangeWindow,
  listHealthChecks,
  getUptime,
];
