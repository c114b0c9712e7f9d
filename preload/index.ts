/**
 * The sandboxed preload: exposes exactly the Bridge (invoke + subscribe) and nothing else.
 * Sandboxed preloads may only require 'electron' (and a few polyfilled modules), so this file is
 * bundled into one CommonJS file and imports nothing but electron and common/api/http.ts.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL as EVENT_CHANNEL, IPC_INVOKE_CHANNEL as INVOKE_CHANNEL, type Bridge } from '../common/api/http';

const bridge: Bridge = {
  invoke(method: string, params: unknown): Promise<unknown> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, params) as Promise<unknown>;
  },
  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
