/**
 * MCP tool calls counted per organization per UTC month (store.usage 'mcp_calls'). Past the
 * plan's mcpCallsPerMonth a call is refused with the limit and the reset date. The check and
 * the count are two statements, so calls racing at the very limit may overshoot it by a few.
 */
import type { Store } from '../store/store.js';
import type { QuotaGuard } from '../usage/quota.js';

function resetDate(now: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

export class McpCallQuota {
  constructor(
    private readonly store: Store,
    private readonly plans: QuotaGuard,
  ) {}

  /** Counts the call and returns null, or returns why it is refused (and does not count it). */
  async admit(orgId: string, now = Date.now()): Promise<string | null> {
    const { mcpCallsPerMonth } = await this.plans.limits(orgId, now);
    if (mcpCallsPerMonth !== null) {
      const used = await this.store.usage.get(orgId, 'mcp_calls', now);
      if (used.month >= mcpCallsPerMonth) {
        return `monthly MCP tool call limit reached: ${used.month} of ${mcpCallsPerMonth} calls used on this plan; it resets on ${resetDate(now)} (UTC). Ask an owner to move the organization to a larger plan, or wait for the reset.`;
      }
    }
    await this.store.usage.add(orgId, 'mcp_calls', 1, now);
    return null;
  }
}
