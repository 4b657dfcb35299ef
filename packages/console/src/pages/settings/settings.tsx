/** Settings: API keys, business context, members, usage, each its own sub-page. */
import { Link } from '../../components/link';
import { useLocation } from '../../router';
import { AccountSettings } from './account';
import { AnalyticsSettings } from './analytics';
import { AuditSettings } from './audit';
import { ChannelsSettings } from './channels';
import { ContextSettings } from './context';
import { GuardrailsSettings } from './guardrails';
import { HealthChecksSettings } from './health-checks';
import { KeysSettings } from './keys';
import { MembersSettings } from './members';
import { SourcesSettings } from './sources';
import { UsageSettings } from './usage';

const SECTIONS = [
  { to: '/settings/keys', label: 'API keys' },
  { to: '/settings/context', label: 'Business context' },
  { to: '/settings/members', label: 'Members' },
  { to: '/settings/usage', label: 'Usage' },
  { to: '/settings/audit', label: 'Audit log' },
  { to: '/settings/account', label: 'Account' },
  { to: '/settings/channels', label: 'Channels' },
  { to: '/settings/guardrails', label: 'Guardrails' },
  { to: '/settings/analytics', label: 'Analytics' },
  { to: '/settings/sources', label: 'Sources' },
  { to: '/settings/health-checks', label: 'Health checks' },
];

export function SettingsPage() {
  const { path } = useLocation();
  return (
    <div className="settings">
      <nav className="subnav" aria-label="Settings">
        {SECTIONS.map((s) => (
          <Link key={s.to} to={s.to} className={path === s.to ? 'active' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <section className="settings-body">
        {path === '/settings/channels' ? (
          <ChannelsSettings />
        ) : path === '/settings/guardrails' ? (
          <GuardrailsSettings />
        ) : path === '/settings/analytics' ? (
          <AnalyticsSettings />
        ) : path === '/settings/sources' ? (
          <SourcesSettings />
        ) : path === '/settings/health-checks' ? (
          <HealthChecksSettings />
        ) : path === '/settings/context' ? (
          <ContextSettings />
        ) : path === '/settings/members' ? (
          <MembersSettings />
        ) : path === '/settings/usage' ? (
          <UsageSettings />
        ) : path === '/settings/audit' ? (
          <AuditSettings />
        ) : path === '/settings/account' ? (
          <AccountSettings />
        ) : (
          <KeysSettings />
        )}
      </section>
    </div>
  );
}
