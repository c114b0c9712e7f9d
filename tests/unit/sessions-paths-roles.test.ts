import { describe, expect, it } from 'vitest';
import { parseRole, roleLabel } from '../../common/roles';
import { SessionStore } from '../../main/auth/sessions';
import { defaultDataDir, defaultDbPath } from '../../main/paths';

describe('sessions', () => {
  it('locks the screen after the idle time, not before, and never with 0', () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const s = store.create({ id: 1, login: 'a', fullName: 'А', role: 'admin' });
    now = 9 * 60_000;
    store.touch(s, 10);
    expect(s.screenLocked).toBe(false);
    now += 10 * 60_000 + 1;
    store.touch(s, 10);
    expect(s.screenLocked).toBe(true);
    store.unlockScreen(s);
    now += 10 * 60 * 60_000;
    store.touch(s, 0);
    expect(s.screenLocked).toBe(false);
  });

  it('ends the sessions of a locked user and refreshes a changed role', () => {
    const store = new SessionStore();
    const a = store.create({ id: 7, login: 'a', fullName: 'А', role: 'secretary' });
    store.updateUser(7, { id: 7, login: 'a', fullName: 'А', role: 'archivist' });
    expect(store.get(a.id)?.user.role).toBe('archivist');
    store.updateUser(7, null);
    expect(store.get(a.id)).toBeNull();
  });
});

describe('data folder', () => {
  it('follows each OS convention, the same folder Electron uses for userData', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.school-office$/);
    expect(defaultDataDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/school-office');
    expect(defaultDataDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/school-office');
    expect(defaultDataDir({ HOME: '/home/u', SCHOOL_OFFICE_DATA_DIR: '/srv/office' }, 'linux')).toBe('/srv/office');
    expect(defaultDbPath({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/school-office/school-office.db');
    expect(defaultDbPath({ SCHOOL_OFFICE_DB: '/x/y.db' }, 'linux')).toBe('/x/y.db');
  });
});

describe('roles', () => {
  it('accepts identifiers and Russian labels', () => {
    expect(parseRole('Секретарь')).toBe('secretary');
    expect(parseRole('director')).toBe('director');
    expect(parseRole('king')).toBeNull();
    expect(roleLabel('archivist')).toBe('Архивариус');
  });
});
