/**
 * The loopback HTTP host's protocol (browser mode and end-to-end tests). The Electron preload
 * carries the same calls over IPC; both end in the same dispatcher.
 *
 * - POST {API_INVOKE_PATH} with JSON `{ method, params }` → JSON `ApiResponse`
 *   (HTTP 200 for both ok and refused calls; 401 without a valid launch token).
 * - GET {API_EVENTS_PATH}?token=… → Server-Sent Events, one `message` per event with
 *   JSON `{ event, payload }`.
 * - Every API request carries the per-launch token (header, or `token` query for events);
 *   calls within a session carry the session id header.
 * - The page gets the launch token from the URL the host prints: `http://127.0.0.1:PORT/#token=…`
 *   (a fragment never reaches server logs), and keeps it in sessionStorage.
 */
export const API_INVOKE_PATH = '/api/invoke';
export const API_EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-school-office-token';
export const SESSION_HEADER = 'x-school-office-session';
export const TOKEN_FRAGMENT_KEY = 'token';

/** The name under which the Electron preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'schoolOffice';

/** What the preload exposes: nothing but these two functions. */
export interface Bridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** IPC channels between the preload and main/electron. */
export const IPC_INVOKE_CHANNEL = 'school-office:invoke';
export const IPC_EVENT_CHANNEL = 'school-office:event';
