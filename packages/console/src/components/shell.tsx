/**
 * The signed-in frame: brand, pages, organization switcher, the user and sign-out. On a phone the
 * pages fold behind a Menu button (a disclosure: aria-expanded, Escape closes it) so none is cut off.
 */
import type { KeyboardEvent, ReactNode } from 'react';
import { useRef, useState } from 'react';
import { api, type SessionView } from '../api';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { Link } from './link';

const PAGES = [
  { to: '/events', label: 'Events' },
  { to: '/grid', label: 'Grid' },
  { to: '/timeline', label: 'Timeline' },
  { to: '/dora', label: 'DORA' },
  { to: '/regressions', label: 'Regressions' },
  { to: '/settings/keys', label: 'Settings' },
];

export function Shell({ children }: { children: ReactNode }) {
  const { session, setSession } = useSession();
  const { path } = useLocation();
  const [busy, setBusy] = useState(false);
  // The path the menu was opened on: following a link changes the path, which closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === path;
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menuOpen) return;
    setMenuOpenOn(null);
    menuButton.current?.focus();
  };
  const current = (to: string) =>
    to === '/events'
      ? path === '/' || path.startsWith('/events')
      : path.startsWith(to.split('/').slice(0, 2).join('/'));

  const switchOrg = async (organizationId: string) => {
    setBusy(true);
    try {
      setSession(await api<SessionView>('/api/v1/session', { method: 'PUT', body: { organizationId } }));
      navigate('/events');
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
    setSession(null);
    navigate('/');
  };

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/events" className="brand">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          <span>OpsTrails</span>
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="btn btn-ghost btn-small menu-button"
          aria-expanded={menuOpen}
          aria-controls="pages-nav"
          onKeyDown={closeOnEscape}
          onClick={() => setMenuOpenOn(menuOpen ? null : path)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <nav
          id="pages-nav"
          className={menuOpen ? 'tabs open' : 'tabs'}
          aria-label="Pages"
          onKeyDown={closeOnEscape}
          // Following a link closes the menu, also the link of the page already shown.
          onClick={() => setMenuOpenOn(null)}
        >
          {PAGES.map((page) => (
            <Link key={page.to} to={page.to} className={current(page.to) ? 'tab active' : 'tab'}>
              {page.label}
            </Link>
          ))}
        </nav>
        <div className="account">
          {session.organizations.length > 1 ? (
            <select
              aria-label="Organization"
              value={session.organization.id}
              disabled={busy}
              onChange={(e) => void switchOrg(e.target.value)}
            >
              {session.organizations.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
          ) : (
            <span className="org-name" title={`Organization: ${session.organization.name}`}>
              {session.organization.name}
            </span>
          )}
          <span className="user" title={`${session.user.email} · ${session.role}`}>
            {session.user.name} <small className="role">{session.role}</small>
          </span>
          <button type="button" className="btn btn-ghost btn-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
