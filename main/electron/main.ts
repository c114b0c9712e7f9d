/**
 * The Electron main process: a thin shell over createApp(). It picks the data folder, opens the
 * register, serves the built renderer on app://school-office/ and carries IPC calls to the same
 * dispatcher that serves the loopback HTTP host. No business logic lives here.
 *
 * Built by build/build.mjs to dist/main/electron/main.cjs, so `__dirname` is dist/main/electron.
 */
import { app, BrowserWindow, dialog, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseError } from '../../db/errors';
import { createApp, type App } from '../app';
import { startBackupScheduler, type BackupScheduler } from '../backup/scheduler';
import { logError } from '../log';
import { setPdfEngine } from '../print/chromium';
import { BROWSER_PROFILE_FOLDER_NAME, chooseDataLocation, describeDataLocation, type DataLocation } from './data-dir';
import { connectIpc, type IpcBridge } from './ipc';
import { installMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { ElectronPdfEngine } from './print-engine';
import { openShellSettings, sanitizeZoomLevel, type ShellSettings } from './settings-store';
import { createMainWindow, denyAllPermissions, hardenAllWebContents } from './window';

const RENDERER_DIR = join(__dirname, '..', '..', 'renderer');
const PRELOAD_PATH = join(__dirname, '..', '..', 'preload', 'index.cjs');
const APP_USER_MODEL_ID = 'ru.school-office.app';
const TITLE = 'Канцелярия';

let office: App | null = null;
let bridge: IpcBridge | null = null;
let backupScheduler: BackupScheduler | null = null;
let mainWindow: BrowserWindow | null = null;
let shutdownPromise: Promise<void> | null = null;
let shutDown = false;

function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.quit();
}

function openErrorMessage(error: unknown, dbPath: string): string {
  if (error instanceof DatabaseError) {
    return error.message.includes(dbPath) ? error.message : `${error.message}\n\nФайл базы данных: ${dbPath}`;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return (
    `Не удалось открыть базу данных «Канцелярии».\n\nФайл: ${dbPath}\nПричина: ${detail}\n\n` +
    'Закройте другие копии программы и запустите её снова. Если ошибка повторится, обратитесь к ответственному за программу.'
  );
}

/** Stops IPC and closes the database once, whichever way the program is quitting. */
function shutdown(): Promise<void> {
  shutdownPromise ??= (async () => {
    bridge?.dispose();
    bridge = null;
    backupScheduler?.stop();
    backupScheduler = null;
    const current = office;
    office = null;
    if (current) {
      try {
        await current.close();
      } catch (error) {
        logError('закрытие базы данных', error);
      }
    }
  })().finally(() => {
    shutDown = true;
  });
  return shutdownPromise;
}

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openWindow(settings: ShellSettings): void {
  mainWindow = createMainWindow({
    preloadPath: PRELOAD_PATH,
    settings,
    onCreated: (win) => bridge?.attach(win.webContents),
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function showAbout(location: DataLocation): void {
  const options = {
    type: 'info' as const,
    title: 'О программе',
    message: `«Канцелярия», версия ${app.getVersion()}`,
    detail: `Делопроизводство и бумажный архив школы.\n\nПапка данных: ${location.dir}\n(${describeDataLocation(location)})`,
    buttons: ['Закрыть'],
    noLink: true,
  };
  const shown = mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
  shown.catch((error: unknown) => logError('окно «О программе»', error));
}

async function start(location: DataLocation): Promise<void> {
  try {
    office = await createApp({ dbPath: location.dbPath });
  } catch (error) {
    logError('открытие базы данных', error);
    fail(`${TITLE} — база данных не открыта`, openErrorMessage(error, location.dbPath));
    return;
  }
  const settings = await openShellSettings();
  // Printing goes through the shell's own Chromium (printToPDF), no system browser needed.
  setPdfEngine(new ElectronPdfEngine());
  denyAllPermissions();
  serveRenderer(RENDERER_DIR);
  bridge = connectIpc(office);
  // Backups by themselves while the program is open, when due (issue 8).
  backupScheduler = startBackupScheduler(office);
  installMenu({
    zoom(step) {
      const win = BrowserWindow.getFocusedWindow() ?? mainWindow;
      if (!win || win.isDestroyed()) return;
      const level = step === 'reset' ? 0 : sanitizeZoomLevel(win.webContents.getZoomLevel() + step);
      win.webContents.setZoomLevel(level);
      settings.saveZoomLevel(level);
    },
    openDataFolder() {
      shell.openPath(location.dir).then(
        (problem) => {
          if (problem) dialog.showErrorBox(TITLE, `Не удалось открыть папку данных «${location.dir}».`);
        },
        (error: unknown) => logError('открытие папки данных', error),
      );
    },
    showAbout: () => showAbout(location),
  });
  openWindow(settings);
}

function main(): void {
  app.enableSandbox();
  // Chromium formats date inputs and built-in messages by its UI language, not the page's.
  app.commandLine.appendSwitch('lang', 'ru');
  registerAppScheme();
  hardenAllWebContents();
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  // userData (settings.json, the single-instance lock) is the data folder itself: for the
  // installed app it is <appData>/school-office, as main/paths.ts defaultDataDir() says.
  const location = chooseDataLocation(process.env, app.getPath('appData'));
  try {
    const profileDir = join(location.dir, BROWSER_PROFILE_FOLDER_NAME);
    mkdirSync(profileDir, { recursive: true });
    app.setPath('userData', location.dir);
    app.setPath('sessionData', profileDir);
  } catch (error) {
    logError('папка данных', error);
    void app.whenReady().then(() =>
      fail(
        TITLE,
        `Не удалось создать или открыть папку данных «${location.dir}».\n\n` +
          'Проверьте, что диск доступен для записи (переносную версию нельзя запускать с диска только для чтения).',
      ),
    );
    return;
  }

  if (!app.requestSingleInstanceLock()) {
    // Another copy already works with this data folder: it brings its window forward.
    app.quit();
    return;
  }
  app.on('second-instance', focusMainWindow);

  app.on('window-all-closed', () => {
    void shutdown().finally(() => app.quit());
  });
  app.on('will-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    void shutdown().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(() => start(location))
    .catch((error: unknown) => {
      logError('запуск', error);
      fail(TITLE, 'Программа не смогла запуститься. Перезапустите её; если ошибка повторится, обратитесь к ответственному за программу.');
    });
}

main();
