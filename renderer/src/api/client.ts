import type { ApiTransport, EventName, EventPayload, MethodName, Params, Result } from '../../../common/api/contract';
import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from '../../../common/api/errors';
import {
  API_EVENTS_PATH,
  API_INVOKE_PATH,
  BRIDGE_GLOBAL,
  SESSION_HEADER,
  TOKEN_FRAGMENT_KEY,
  TOKEN_HEADER,
  type Bridge,
} from '../../../common/api/http';

/** A call the main process refused (or could not be delivered). Carries the server's Russian message. */
export class ApiCallError extends Error {
  readonly body: ApiErrorBody;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiCallError';
    this.body = body;
  }
  get code(): ErrorCode {
    return this.body.code;
  }
  get fields(): Record<string, string> {
    return this.body.fields ?? {};
  }
}

/** What the window must react to whatever screen is open. */
export type AuthProblem = 'no_session' | 'screen_locked';

/** Methods whose refusal is the answer itself, not a sign that the session ended. */
const AUTH_FLOW_METHODS = new Set<MethodName>(['app.status', 'auth.login', 'auth.setup', 'auth.unlockScreen', 'auth.logout']);

const TOKEN_KEY = 'school-office.token';
const SESSION_KEY = 'school-office.session';

const NO_CONNECTION: ApiErrorBody = {
  code: 'internal',
  message: 'Нет связи с программой «Канцелярия». Проверьте, что она запущена, и повторите действие.',
};

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (!value || typeof value !== 'object') return false;
  const v = value as { code?: unknown; message?: unknown };
  return typeof v.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.code);
}

/** Turns whatever came back into a result or an ApiCallError. */
function unwrap(response: unknown): unknown {
  if (response && typeof response === 'object' && 'ok' in response) {
    const r = response as { ok: unknown; result?: unknown; error?: unknown };
    if (r.ok === true) return r.result;
    if (isErrorBody(r.error)) throw new ApiCallError(r.error);
  }
  throw new ApiCallError({ code: 'internal', message: 'Программа вернула непонятный ответ. Повторите действие; если не поможет, перезапустите программу.' });
}

function safeStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Low level: how a call reaches the main process. */
interface Backend {
  readonly kind: 'bridge' | 'http';
  call(method: MethodName, params: unknown): Promise<unknown>;
  listen(listener: (event: string, payload: unknown) => void): () => void;
  sessionStarted(sessionId: string): void;
  sessionEnded(): void;
}

function bridgeBackend(bridge: Bridge): Backend {
  return {
    kind: 'bridge',
    call: (method, params) => bridge.invoke(method, params),
    listen: (listener) => bridge.subscribe(listener),
    // In Electron the main process keeps the session; the page holds nothing.
    sessionStarted: () => undefined,
    sessionEnded: () => undefined,
  };
}

/** Reads the launch token from `#token=…` once, keeps it in sessionStorage, removes it from the address. */
function takeLaunchToken(storage: Storage | null): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (hash.includes(`${TOKEN_FRAGMENT_KEY}=`)) {
    const fromUrl = new URLSearchParams(hash).get(TOKEN_FRAGMENT_KEY);
    if (fromUrl) {
      storage?.setItem(TOKEN_KEY, fromUrl);
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      return fromUrl;
    }
  }
  return storage?.getItem(TOKEN_KEY) ?? null;
}

function httpBackend(): Backend {
  const storage = safeStorage();
  const token = takeLaunchToken(storage);
  let sessionId = storage?.getItem(SESSION_KEY) ?? null;
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let source: EventSource | null = null;

  function openEvents(): void {
    if (source || !token) return;
    source = new EventSource(`${API_EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let data: { event?: unknown; payload?: unknown };
      try {
        data = JSON.parse(message.data) as { event?: unknown; payload?: unknown };
      } catch {
        return;
      }
      if (typeof data.event !== 'string') return;
      for (const listener of listeners) listener(data.event, data.payload);
    };
  }

  return {
    kind: 'http',
    async call(method, params) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers[TOKEN_HEADER] = token;
      if (sessionId) headers[SESSION_HEADER] = sessionId;
      let response: Response;
      try {
        response = await fetch(API_INVOKE_PATH, { method: 'POST', headers, body: JSON.stringify({ method, params }), cache: 'no-store' });
      } catch {
        throw new ApiCallError(NO_CONNECTION);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiCallError(NO_CONNECTION);
      }
      if (response.status === 401) {
        // The launch token is missing or belongs to an earlier launch.
        const message =
          isErrorBody((body as { error?: unknown } | null)?.error) ? (body as { error: ApiErrorBody }).error.message : NO_CONNECTION.message;
        throw new ApiCallError({ code: 'refused', message });
      }
      return body;
    },
    listen(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
    sessionStarted(id) {
      sessionId = id;
      storage?.setItem(SESSION_KEY, id);
    },
    sessionEnded() {
      sessionId = null;
      storage?.removeItem(SESSION_KEY);
    },
  };
}

/** The one client of the typed API. */
export class ApiClient implements ApiTransport {
  private readonly problemListeners = new Set<(problem: AuthProblem, error: ApiCallError) => void>();
  private readonly activityListeners = new Set<() => void>();

  constructor(private readonly backend: Backend) {}

  get kind(): 'bridge' | 'http' {
    return this.backend.kind;
  }

  async invoke<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    let result: unknown;
    try {
      result = unwrap(await this.backend.call(method, params));
    } catch (error) {
      const callError = error instanceof ApiCallError ? error : new ApiCallError(NO_CONNECTION);
      const code = callError.code;
      if (code === 'no_session') this.backend.sessionEnded();
      if ((code === 'no_session' || code === 'screen_locked') && !AUTH_FLOW_METHODS.has(method)) {
        for (const listener of this.problemListeners) listener(code, callError);
      }
      throw callError;
    }
    if (method === 'auth.login' || method === 'auth.setup') {
      this.backend.sessionStarted((result as Result<'auth.login'>).sessionId);
    } else if (method === 'auth.logout') {
      this.backend.sessionEnded();
    }
    for (const listener of this.activityListeners) listener();
    return result as Result<M>;
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.backend.listen((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }

  /** The session ended or the screen got locked, on any call. */
  onAuthProblem(listener: (problem: AuthProblem, error: ApiCallError) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /** Every successful call (the main process counts it as activity). */
  onServerActivity(listener: () => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Forgets the session locally (after the main process ended it). */
  forgetSession(): void {
    this.backend.sessionEnded();
  }
}

export function createApiClient(): ApiClient {
  const bridge = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as Bridge | undefined;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.subscribe === 'function') {
    return new ApiClient(bridgeBackend(bridge));
  }
  return new ApiClient(httpBackend());
}

/** A Russian message for anything thrown by a call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  return 'Действие не выполнено из-за ошибки в окне программы. Обновите страницу (F5) и повторите.';
}
