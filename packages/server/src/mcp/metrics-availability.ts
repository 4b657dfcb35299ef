/**
 * Whether a subject has metrics to compare around an event: pushed points on it, or a mapping
 * that speaks for it (integrations/series.ts). Tools suggest get_metrics_around_event only when
 * this says yes, so an assistant is not sent to a tool that can only answer "no metric".
 */
import { metricsFor } from '../integrations/series.js';
import type { ToolEnv } from './tool.js';

export async function hasMetricsFor(env: ToolEnv, subject: string | null): Promise<boolean> {
  if (subject === null) return false;
  return (await metricsFor(env.store, env.orgId, subject, null)).length > 0;
}
