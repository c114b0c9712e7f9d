import { isAbsolute, join, resolve } from 'node:path';
import { DATA_FOLDER_NAME, DB_FILE_NAME } from '../paths';

/** The folder next to the portable executable that holds its register and settings. */
export const PORTABLE_DATA_FOLDER_NAME = 'Канцелярия-данные';
/** Chromium's own files (caches, local storage) go to a subfolder, away from the register. */
export const BROWSER_PROFILE_FOLDER_NAME = 'chromium-profile';

export type DataDirKind = 'env' | 'portable' | 'installed';

export interface DataLocation {
  kind: DataDirKind;
  /** Holds the register, the shell's settings file and the Chromium profile subfolder. */
  dir: string;
  dbPath: string;
}

/**
 * Where the desktop app keeps its data, chosen deliberately (no Electron import: testable):
 * 1. `SCHOOL_OFFICE_DATA_DIR` — an explicit override (tests, an administrator's choice);
 * 2. `PORTABLE_EXECUTABLE_DIR` (set by electron-builder's portable target) — a folder
 *    `Канцелярия-данные` next to the executable, so the data travels with the program;
 * 3. otherwise the installed app: `<appData>/school-office`, the same folder as
 *    main/paths.ts `defaultDataDir()`, so the CLI and the window share one register.
 */
export function chooseDataLocation(env: NodeJS.ProcessEnv, appDataDir: string): DataLocation {
  const override = env.SCHOOL_OFFICE_DATA_DIR?.trim();
  const portable = env.PORTABLE_EXECUTABLE_DIR?.trim();
  let kind: DataDirKind;
  let dir: string;
  if (override) {
    kind = 'env';
    dir = resolve(override);
  } else if (portable && isAbsolute(portable)) {
    kind = 'portable';
    dir = join(portable, PORTABLE_DATA_FOLDER_NAME);
  } else {
    kind = 'installed';
    dir = join(appDataDir, DATA_FOLDER_NAME);
  }
  return { kind, dir, dbPath: join(dir, DB_FILE_NAME) };
}

/** How the About box names the location (Russian, for the user). */
export function describeDataLocation(location: DataLocation): string {
  switch (location.kind) {
    case 'env':
      return 'папка задана переменной SCHOOL_OFFICE_DATA_DIR';
    case 'portable':
      return 'переносная версия: папка рядом с программой';
    case 'installed':
      return 'установленная версия: папка пользователя';
  }
}
