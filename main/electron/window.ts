import { app, BrowserWindow, screen, session, type Rectangle, type Session } from 'electron';
import { logError } from '../log';
import { APP_START_URL, isAppUrl } from './protocol';
import { MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH, type ShellSettings, type WindowState } from './settings-store';

/**
 * Guards every webContents the app ever creates: no new windows, no <webview>, no navigation
 * away from app://school-office/.
 */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url) && !(!event.isMainFrame && isPdfPreviewFrame(event.url))) event.preventDefault();
    });
  });
}

/** Chromium's built-in PDF viewer (an extension frame inside the frame that shows a PDF). */
const PDF_VIEWER_PREFIX = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/';

/**
 * The frames of the archive's PDF preview («Печать и архив»): an iframe of a blob URL the
 * window made itself (blob:app://school-office/…) and the PDF viewer that Chromium puts in it.
 */
function isPdfPreviewFrame(url: string): boolean {
  return (url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length))) || url.startsWith(PDF_VIEWER_PREFIX);
}

/** The office needs no camera, microphone, notifications, USB, clipboard reading…: all refused. */
export function denyAllPermissions(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Drops a remembered position that is no longer on any screen (a monitor was unplugged). */
function placement(state: WindowState): Partial<Rectangle> & { width: number; height: number } {
  const size = { width: state.width, height: state.height };
  if (state.x === undefined || state.y === undefined) return size;
  const rect = { x: state.x, y: state.y, ...size };
  const visible = screen.getAllDisplays().some((display) => intersects(display.workArea, rect));
  return visible ? rect : size;
}

export interface MainWindowOptions {
  preloadPath: string;
  settings: ShellSettings;
  /** Called with the new window's webContents before anything loads (IPC attach). */
  onCreated(win: BrowserWindow): void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = options.settings.windowState();
  const win = new BrowserWindow({
    ...placement(state),
    minWidth: MIN_WINDOW_WIDTH,
    minHeight: MIN_WINDOW_HEIGHT,
    title: 'Канцелярия',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // The built-in PDF viewer: the archive's preview shows the printed PDF inside the window.
      plugins: true,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  options.onCreated(win);

  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-finish-load', () => {
    win.webContents.setZoomLevel(options.settings.zoomLevel());
  });
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    options.settings.saveWindowState({ ...bounds, maximized: win.isMaximized() });
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    logError('окно программы', Object.assign(new Error('render process gone'), { code: details.reason }));
  });

  win.loadURL(APP_START_URL).catch((error: unknown) => logError('загрузка окна', error));
  return win;
}
