/**
 * The console's top level: decides between first-run setup, sign-in, accepting an invite and
 * the signed-in shell, and routes the shell's pages.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, api, type SessionView, SIGNED_OUT, setCsrfToken } from './api';
import { Shell } from './components/shell';
import { ConsentPage } from './pages/consent';
import { DoraPage } from './pages/dora';
import { EventPage } from './pages/event';
import { EventsPage } from './pages/events';
import { GridPage } from './pages/grid';
import { InvitePage } from './pages/invite';
import { LoginPage } from './pages/login';
import { RegressionsPage } from './pages/regressions';
import { ResetPasswordPage } from './pages/reset-password';
import { SettingsPage } from './pages/settings/settings';
import { SetupPage } from './pages/setup';
import { TimelinePage } from './pages/timeline';
import { useLocation } from './router';
import { SessionContext } from './session';

type Boot =
  | { state: 'loading' }
  | { state: 'setup' }
  | { state: 'signed-out' }
  | { state: 'in'; session: SessionView };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const { path } = useLocation();

  const load = useCallback(async () => {
    try {
      const setup = await api<{ needed: boolean }>('/api/v1/setup');
      if (setup.needed) return setBoot({ state: 'setup' });
      const session = await api<SessionView>('/api/v1/session');
      setCsrfToken(session.csrfToken);
      setBoot({ state: 'in', session });
    } catch (error) {
      // Signed out (401) is the usual answer; anything else also lands on sign-in, which says why it fails.
      if (!(error instanceof ApiFailure) || error.status !== 401)
        console.warn('OpsTrails console start:', error);
      setBoot({ state: 'signed-out' });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const signedOut = () => {
      setCsrfToken('');
      setBoot({ state: 'signed-out' });
    };
    window.addEventListener(SIGNED_OUT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT, signedOut);
  }, []);

  const signedIn = useCallback((session: SessionView | null) => {
    if (!session) {
      setCsrfToken('');
      setBoot({ state: 'signed-out' });
      return;
    }
    setCsrfToken(session.csrfToken);
    setBoot({ state: 'in', session });
  }, []);

  if (boot.state === 'loading') return <div className="boot">Loading OpsTrails…</div>;
  if (boot.state === 'setup') return <SetupPage onDone={signedIn} />;
  if (path === '/invite') return <InvitePage onDone={signedIn} />;
  if (path === '/reset-password') return <ResetPasswordPage onDone={signedIn} />;
  if (path === '/oauth/consent')
    return <ConsentPage session={boot.state === 'in' ? boot.session : null} onSignedIn={signedIn} />;
  if (boot.state === 'signed-out') return <LoginPage onDone={signedIn} />;

  const session = boot.session;
  const isAdmin = session.role === 'OWNER' || session.role === 'ADMIN';
  return (
    <SessionContext.Provider value={{ session, isAdmin, setSession: signedIn }}>
      <Shell>
        <Page path={path} key={session.organization.id} />
      </Shell>
    </SessionContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  if (path.startsWith('/events/')) return <EventPage />;
  if (path.startsWith('/grid')) return <GridPage />;
  if (path.startsWith('/timeline')) return <TimelinePage />;
  if (path.startsWith('/dora')) return <DoraPage />;
  if (path.startsWith('/regressions')) return <RegressionsPage />;
  if (path.startsWith('/settings')) return <SettingsPage />;
  return <EventsPage />;
}
