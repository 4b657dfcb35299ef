/**
 * Whether a subject has metrics to compare around an event. Metrics come from analytics
 * providers whose metrics are each mapped to a subject (contract section 6); this server
 * connects no provider yet, so no subject has any. Tools suggest get_metrics_around_event only
 * when this says yes, so an assistant is not sent to a tool that can only answer "no metric";
 * connecting providers (impact analysis) answers it from the mappings.
 */
import type { ToolEnv } from './tool.js';

export async function hasMetricsFor(_env: ToolEnv, _subject: string | null): Promise<boolean> {
  return false;
}
