import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionInfo, SessionUser } from '../../common/api/contract';
import { ApiCallError, errorMessage, type ApiClient } from './api/client';
import { SessionProvider, useApi, type SessionState } from './api/context';
import { Loading } from './components/ui';
import { formatDateTime } from './format';
import { LoginScreen, SetupScreen, UnreachableScreen } from './screens/AuthScreens';
import { LockScreen } from './screens/LockScreen';
import { Shell } from './screens/Shell';

type Phase =
  | { kind: 'starting' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'login'; notice: string | null }
  | { kind: 'shell'; user: SessionUser };

/** How often the window tells the main process that the user is active (it locks idle sessions too). */
const HEARTBEAT_MS = 60_000;
const IDLE_CHECK_MS = 5_000;
const ACTIVITY_EVENTS = ['mousedown', 'mousemove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

export function App() {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [schoolName, setSchoolName] = useState('');
  const [appVersion, setAppVersion] = useState('');
  const [lockAfterMinutes, setLockAfterMinutes] = useState(0);
  const [locked, setLocked] = useState(false);
  const phaseRef = useRef(phase);
  useEffect(() => {
    phaseRef.current = phase;
  }, [phase]);

  // Start (and «Повторить»): is the register set up, and is this window still signed in?
  const [bootAttempt, setBootAttempt] = useState(0);
  useEffect(() => {
    let alive = true;
    void readStart(api).then((start) => {
      if (!alive) return;
      setSchoolName(start.schoolName);
      setAppVersion(start.appVersion);
      setLockAfterMinutes(start.lockAfterMinutes);
      setLocked(start.locked);
      setPhase(start.phase);
    });
    return () => {
      alive = false;
    };
  }, [api, bootAttempt]);

  const retry = () => {
    setPhase({ kind: 'starting' });
    setBootAttempt((n) => n + 1);
  };

  // Any call may find the session ended or the screen locked by the main process.
  useEffect(
    () =>
      api.onAuthProblem((problem, error) => {
        if (phaseRef.current.kind !== 'shell') return;
        if (problem === 'screen_locked') setLocked(true);
        else {
          setLocked(false);
          setPhase({ kind: 'login', notice: error.message });
        }
      }),
    [api],
  );

  // The register was replaced from a backup (by this window or another): everyone signs in again.
  useEffect(
    () =>
      api.subscribe('backup.restored', (payload) => {
        api.forgetSession();
        if (payload.schoolName) setSchoolName(payload.schoolName);
        setLocked(false);
        const notice = `Данные восстановлены из копии от ${formatDateTime(payload.createdAt, false)}; прежняя база сохранена в ${payload.preRestore}. Войдите в программу снова: учётные записи — те, что были на момент копии.`;
        if (phaseRef.current.kind !== 'setup') setPhase({ kind: 'login', notice });
      }),
    [api],
  );

  const signedIn = (info: SessionInfo) => {
    setLockAfterMinutes(info.lockAfterMinutes);
    setLocked(false);
    setPhase({ kind: 'shell', user: info.user });
  };

  const logout = useCallback(async () => {
    try {
      await api.invoke('auth.logout', {});
    } catch {
      api.forgetSession();
    }
    setLocked(false);
    setPhase({ kind: 'login', notice: null });
  }, [api]);

  const inShell = phase.kind === 'shell';
  useIdleLock(inShell && !locked, lockAfterMinutes, () => setLocked(true), (minutes, screenLocked) => {
    setLockAfterMinutes(minutes);
    if (screenLocked) setLocked(true);
  });

  const refreshUser = useCallback(async () => {
    const me = await api.invoke('auth.me', {});
    setLockAfterMinutes(me.lockAfterMinutes);
    if (phaseRef.current.kind === 'shell') setPhase({ kind: 'shell', user: me.user });
  }, [api]);

  const user = phase.kind === 'shell' ? phase.user : null;
  const session = useMemo<SessionState | null>(
    () => (user ? { user, lockAfterMinutes, schoolName, setLockAfterMinutes, setSchoolName, refreshUser } : null),
    [user, lockAfterMinutes, schoolName, refreshUser],
  );

  switch (phase.kind) {
    case 'starting':
      return (
        <div className="auth-page">
          <Loading text="Запуск программы…" />
        </div>
      );
    case 'unreachable':
      return <UnreachableScreen message={phase.message} onRetry={retry} />;
    case 'setup':
      return (
        <SetupScreen
          appVersion={appVersion}
          onDone={(info, name) => {
            setSchoolName(name);
            signedIn(info);
          }}
        />
      );
    case 'login':
      return <LoginScreen schoolName={schoolName || null} notice={phase.notice} appVersion={appVersion} onDone={signedIn} />;
    case 'shell':
      return (
        <SessionProvider value={session}>
          <Shell onLogout={logout} hidden={locked} />
          {locked ? <LockScreen onUnlocked={() => setLocked(false)} onLogout={logout} /> : null}
        </SessionProvider>
      );
  }
}

interface StartState {
  phase: Phase;
  schoolName: string;
  appVersion: string;
  lockAfterMinutes: number;
  locked: boolean;
}

async function readStart(api: ApiClient): Promise<StartState> {
  const start: StartState = { phase: { kind: 'starting' }, schoolName: '', appVersion: '', lockAfterMinutes: 0, locked: false };
  try {
    const status = await api.invoke('app.status', {});
    start.schoolName = status.schoolName ?? '';
    start.appVersion = status.appVersion;
    if (!status.initialized) return { ...start, phase: { kind: 'setup' } };
    try {
      const me = await api.invoke('auth.me', {});
      return { ...start, lockAfterMinutes: me.lockAfterMinutes, locked: me.screenLocked, phase: { kind: 'shell', user: me.user } };
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'no_session') return { ...start, phase: { kind: 'login', notice: null } };
      throw error;
    }
  } catch (error) {
    return { ...start, phase: { kind: 'unreachable', message: errorMessage(error) } };
  }
}

/**
 * Locks the screen after `minutes` without keyboard or mouse activity, and while the user is
 * active tells the main process so (it locks a session idle by its own clock as well).
 */
function useIdleLock(
  active: boolean,
  minutes: number,
  lock: () => void,
  heard: (lockAfterMinutes: number, screenLocked: boolean) => void,
): void {
  const api = useApi();
  const callbacks = useRef({ lock, heard });
  useEffect(() => {
    callbacks.current = { lock, heard };
  });
  const lastServerContact = useRef(0);
  useEffect(() => {
    lastServerContact.current = Date.now();
    return api.onServerActivity(() => (lastServerContact.current = Date.now()));
  }, [api]);

  useEffect(() => {
    if (!active) return;
    let lastInput = Date.now();
    let heartbeatInFlight = false;
    const onActivity = () => {
      lastInput = Date.now();
      if (heartbeatInFlight || lastInput - lastServerContact.current < HEARTBEAT_MS) return;
      heartbeatInFlight = true;
      api.invoke('auth.me', {}).then(
        (me) => callbacks.current.heard(me.lockAfterMinutes, me.screenLocked),
        () => undefined, // no_session / screen_locked are handled by the client's listeners
      ).finally(() => {
        heartbeatInFlight = false;
      });
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (minutes > 0 && Date.now() - lastInput >= minutes * 60_000) callbacks.current.lock();
    }, IDLE_CHECK_MS);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      window.clearInterval(timer);
    };
  }, [active, minutes, api]);
}
