/** Usage: events this month and today against the plan, MCP calls, keys, members, retention. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { formatCount } from '../../format';

interface Usage {
  plan: string;
  period: string;
  events: { month: number; day: number; monthLimit: number | null; dayLimit: number | null };
  mcpCalls: { month: number; monthLimit: number | null };
  apiKeys: { count: number; limit: number | null };
  members: { count: number; limit: number | null };
  retentionDays: number | null;
}

function Meter({ label, used, limit }: { label: string; used: number; limit: number | null }) {
  const ratio = limit ? Math.min(1, used / limit) : 0;
  const level = ratio >= 1 ? 'full' : ratio >= 0.8 ? 'high' : 'ok';
  return (
    <div className="meter" data-testid={`meter-${label}`}>
      <div className="meter-head">
        <span>{label}</span>
        <strong>
          {formatCount(used)}{' '}
          {limit === null ? <span className="muted">(no limit)</span> : `of ${formatCount(limit)}`}
        </strong>
      </div>
      {limit !== null ? (
        <div className={`meter-bar meter-${level}`} aria-hidden="true">
          <span style={{ width: `${ratio * 100}%` }} />
        </div>
      ) : null}
    </div>
  );
}

export function UsageSettings() {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Usage>('/api/v1/usage').then(setUsage).catch(setError);
  }, []);
  if (!usage) return <ErrorNote error={error} />;
  return (
    <div>
      <h2>Usage</h2>
      <p className="muted">
        Plan <strong>{usage.plan}</strong> · period {usage.period} (UTC; the monthly count resets on the 1st)
      </p>
      <div className="meters">
        <Meter label="Events this month" used={usage.events.month} limit={usage.events.monthLimit} />
        <Meter label="Events today" used={usage.events.day} limit={usage.events.dayLimit} />
        <Meter label="MCP calls this month" used={usage.mcpCalls.month} limit={usage.mcpCalls.monthLimit} />
        <Meter label="API keys" used={usage.apiKeys.count} limit={usage.apiKeys.limit} />
        <Meter label="Members" used={usage.members.count} limit={usage.members.limit} />
      </div>
      <p>
        Retention:{' '}
        <strong>
          {usage.retentionDays === null
            ? 'events are kept until you delete them'
            : `${usage.retentionDays} days`}
        </strong>
      </p>
    </div>
  );
}
