import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATA_FOLDER_NAME = 'school-office';
export const DB_FILE_NAME = 'school-office.db';

/**
 * Where the register lives when nobody says otherwise. The CLI, browser mode and the installed
 * desktop app agree on it (it is Electron's userData folder), so a scheduled CLI backup and the
 * window see the same file. `SCHOOL_OFFICE_DATA_DIR` overrides it; the portable build passes its
 * own folder next to the executable.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SCHOOL_OFFICE_DATA_DIR) return env.SCHOOL_OFFICE_DATA_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), DATA_FOLDER_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', DATA_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), DATA_FOLDER_NAME);
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SCHOOL_OFFICE_DB) return env.SCHOOL_OFFICE_DB;
  return join(defaultDataDir(env, platform), DB_FILE_NAME);
}
