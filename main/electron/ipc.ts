import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError, type ApiResponse } from '../../common/api/errors';
import type { App } from '../app';
import { isAppUrl } from './protocol';

import { IPC_EVENT_CHANNEL as EVENT_CHANNEL, IPC_INVOKE_CHANNEL as INVOKE_CHANNEL } from '../../common/api/http';

const SESSION_STARTING_METHODS = new Set(['auth.login', 'auth.setup']);

export interface IpcBridge {
  /** Lets this webContents call the API and receive events; forgets it (and its session) when destroyed. */
  attach(contents: WebContents): void;
  /** Stops serving calls and events (before the database closes). */
  dispose(): void;
}

function sessionIdOf(result: unknown): string | null {
  if (!result || typeof result !== 'object') return null;
  const id = (result as { sessionId?: unknown }).sessionId;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * The IPC half of the shell: every call goes to the same dispatcher as the loopback HTTP host.
 * The session id never reaches the page: main keeps it per webContents.
 */
export function connectIpc(office: App): IpcBridge {
  const attached = new Map<number, WebContents>();
  const sessions = new Map<number, string>();
  let disposed = false;

  function trustedSender(event: IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    return (
      attached.has(event.sender.id) &&
      frame !== null &&
      frame.parent === null &&
      isAppUrl(frame.url)
    );
  }

  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, params: unknown): Promise<ApiResponse<unknown>> => {
    if (!trustedSender(event)) throw new Error('Отказано: вызов не из окна «Канцелярии».');
    if (disposed) return { ok: false, error: new ApiError('refused', 'Программа закрывается. Действие не выполнено.').toBody() };
    if (typeof method !== 'string') return { ok: false, error: new ApiError('unknown_method', 'Неизвестная операция.').toBody() };
    const contentsId = event.sender.id;
    const response = await office.dispatch({ method, params, sessionId: sessions.get(contentsId) ?? null });
    if (method === 'auth.logout') {
      sessions.delete(contentsId);
    } else if (SESSION_STARTING_METHODS.has(method) && response.ok) {
      const sessionId = sessionIdOf(response.result);
      const previous = sessions.get(contentsId);
      if (sessionId) {
        if (previous && previous !== sessionId) office.sessions.delete(previous);
        sessions.set(contentsId, sessionId);
      }
    }
    return response;
  });

  const unsubscribe = office.events.subscribe((name, payload) => {
    for (const contents of attached.values()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
    }
  });

  return {
    attach(contents) {
      const id = contents.id;
      attached.set(id, contents);
      contents.once('destroyed', () => {
        attached.delete(id);
        const sessionId = sessions.get(id);
        sessions.delete(id);
        if (sessionId && !disposed) office.sessions.delete(sessionId);
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      ipcMain.removeHandler(INVOKE_CHANNEL);
      unsubscribe();
      for (const sessionId of sessions.values()) office.sessions.delete(sessionId);
      sessions.clear();
      attached.clear();
    },
  };
}
