/** The signed-in state shared by every page: who, which organization, which role. */
import { createContext, useContext } from 'react';
import type { SessionView } from './api';

export interface SessionState {
  session: SessionView;
  isAdmin: boolean;
  /** Replaces the session after a switch of organization, or null after signing out. */
  setSession(next: SessionView | null): void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in page');
  return state;
}
