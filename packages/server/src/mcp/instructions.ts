/** The server instructions a client receives when it connects: the organization overview as prose. */
import type { OrgOverview } from './org-overview.js';

const names = (list: { name: string; count: number }[]) =>
  list.length === 0 ? '(none yet)' : list.map((s) => `${s.name} (${s.count})`).join(', ');

const limit = (n: number | null | undefined) =>
  n === null || n === undefined ? 'unlimited' : n.toLocaleString('en-US');

export function renderInstructions(o: OrgOverview): string {
  const context = o.businessContext.isTemplate
    ? `No business context has been written yet; below is the TEMPLATE shown to show what one looks like. It does NOT describe this organization — do not treat it as fact.\n${o.businessContext.text}`
    : o.businessContext.text;
  return [
    `OpsTrails: the operational event timeline of "${o.organization.name}" (read-only). Every event is a CloudEvent: something (type) happened to a system (source) in an environment (subject) at a time, optionally with a severity and a version.`,
    [
      'The tools answer three questions best:',
      '1. "What changed?" (in an environment, over a time): query_events with from and subject (patterns like "*-PRODUCTION" cover every production environment), or get_event_summary for counts.',
      '2. "What caused this incident?": find it with query_events, then what_changed with its eventId ranks the changes before it with reasons; get_promotion_path checks the version went through staging; get_metrics_around_event says whether a change made metrics worse.',
      '3. "What runs where, and is it in step?": get_environment_grid (versions per system and environment, drift), get_dora_metrics for delivery over time.',
      'Start with get_organization_context. check_change_window says whether a change now would break a freeze window or deployment policy; list_guardrail_violations lists the ones broken.',
      'Names match in any case. Every answer stays under about 20,000 tokens: a big one leads with counts and gives nextCursor to page on. Every answer ends with suggested_next calls.',
    ].join('\n'),
    `Fields: ${Object.entries(o.fields)
      .map(([k, v]) => `${k} = ${v}`)
      .join('; ')}.`,
    `Subjects seen: ${names(o.seen.subjects)}.`,
    `Sources seen: ${names(o.seen.sources)}.`,
    `Types seen: ${names(o.seen.types)}.`,
    `Plan ${o.organization.plan}: ${limit(o.limits.eventsPerMonth)} events/month, ${limit(o.limits.mcpCallsPerMonth)} MCP tool calls/month; ${o.retention}. Used in ${o.usage.month}: ${o.usage.events} events, ${o.usage.mcpCalls} MCP calls (resets ${o.usage.resetsOn}).`,
    `Business context:\n${context}`,
  ].join('\n\n');
}
