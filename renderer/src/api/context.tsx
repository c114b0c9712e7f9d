import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { SessionUser } from '../../../common/api/contract';
import type { ApiClient } from './client';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('ApiProvider is missing');
  return client;
}

/** Who is signed in, and what the shell lets screens change about it. */
export interface SessionState {
  user: SessionUser;
  lockAfterMinutes: number;
  schoolName: string;
  setLockAfterMinutes(minutes: number): void;
  setSchoolName(name: string): void;
  /** Re-reads the signed-in user (after an administrator changed their own account). */
  refreshUser(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
export const SessionProvider = SessionContext.Provider;

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('SessionProvider is missing');
  return session;
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Loads data when the component mounts, when `key` changes and on reload; ignores answers
 * that arrive too late.
 */
export function useLoad<T>(load: () => Promise<T>, key = ''): Loaded<T> {
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ data: T | null; error: unknown; doneFor: string | null }>({ data: null, error: null, doneFor: null });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const ticket = `${generation}:${key}`;
  useEffect(() => {
    let alive = true;
    loadRef.current().then(
      (data) => {
        if (alive) setState({ data, error: null, doneFor: ticket });
      },
      (error: unknown) => {
        if (alive) setState((s) => ({ data: s.data, error, doneFor: ticket }));
      },
    );
    return () => {
      alive = false;
    };
  }, [ticket]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.doneFor !== ticket, reload };
}
