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
    'Start with get_organization_context, then query_events, get_event_summary or what_changed ("what changed before the incident?"). get_environment_grid shows which version runs where; get_promotion_path shows how a version moved through the environments; get_dora_metrics gives the delivery metrics (DORA) with the events behind each. check_change_window says whether a change now would break a freeze window or deployment policy; list_guardrail_violations lists the ones broken. Every answer ends with suggested_next calls.',
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
