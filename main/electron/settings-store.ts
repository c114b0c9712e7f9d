import { logError } from '../log';

/** The window's last bounds; x/y are absent on first start (the OS centres the window). */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** What the shell persists with electron-store. Only this: the register lives in SQLite. */
interface ShellSettingsData {
  window: WindowState;
  zoomLevel: number;
}

export interface ShellSettings {
  windowState(): WindowState;
  saveWindowState(state: WindowState): void;
  zoomLevel(): number;
  saveZoomLevel(level: number): void;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_WIDTH = 960;
export const MIN_WINDOW_HEIGHT = 600;
export const ZOOM_LIMIT = 3;

const DEFAULTS: ShellSettingsData = { window: DEFAULT_WINDOW_STATE, zoomLevel: 0 };

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Whatever was on disk, made safe to hand to BrowserWindow. */
export function sanitizeWindowState(value: unknown): WindowState {
  if (!value || typeof value !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const v = value as Record<string, unknown>;
  const state: WindowState = {
    width: isFiniteNumber(v.width) ? Math.max(MIN_WINDOW_WIDTH, Math.round(v.width)) : DEFAULT_WINDOW_STATE.width,
    height: isFiniteNumber(v.height) ? Math.max(MIN_WINDOW_HEIGHT, Math.round(v.height)) : DEFAULT_WINDOW_STATE.height,
    maximized: v.maximized === true,
  };
  if (isFiniteNumber(v.x) && isFiniteNumber(v.y)) {
    state.x = Math.round(v.x);
    state.y = Math.round(v.y);
  }
  return state;
}

export function sanitizeZoomLevel(value: unknown): number {
  if (!isFiniteNumber(value)) return 0;
  return Math.min(ZOOM_LIMIT, Math.max(-ZOOM_LIMIT, value));
}

function inMemorySettings(): ShellSettings {
  let data: ShellSettingsData = { ...DEFAULTS };
  return {
    windowState: () => ({ ...data.window }),
    saveWindowState: (state) => {
      data = { ...data, window: sanitizeWindowState(state) };
    },
    zoomLevel: () => data.zoomLevel,
    saveZoomLevel: (level) => {
      data = { ...data, zoomLevel: sanitizeZoomLevel(level) };
    },
  };
}

/**
 * Opens `settings.json` in Electron's userData folder (which main.ts points at the data folder).
 * electron-store is ESM-only, so it is loaded with a dynamic import from the CommonJS bundle.
 * A broken or unwritable file never stops the program: it falls back to in-memory defaults.
 */
export async function openShellSettings(): Promise<ShellSettings> {
  try {
    const { default: Store } = await import('electron-store');
    const store = new Store<ShellSettingsData>({ name: 'settings', defaults: DEFAULTS, clearInvalidConfig: true });
    const guarded = (what: string, work: () => void): void => {
      try {
        work();
      } catch (error) {
        logError(`настройки окна: ${what}`, error);
      }
    };
    return {
      windowState: () => sanitizeWindowState(store.get('window')),
      saveWindowState: (state) => guarded('запись положения окна', () => store.set('window', sanitizeWindowState(state))),
      zoomLevel: () => sanitizeZoomLevel(store.get('zoomLevel')),
      saveZoomLevel: (level) => guarded('запись масштаба', () => store.set('zoomLevel', sanitizeZoomLevel(level))),
    };
  } catch (error) {
    logError('настройки окна: открытие', error);
    return inMemorySettings();
  }
}
