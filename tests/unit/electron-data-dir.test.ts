import { describe, expect, it } from 'vitest';
import { chooseDataLocation } from '../../main/electron/data-dir';
import { defaultDataDir } from '../../main/paths';

describe('the desktop app data folder', () => {
  it('is the CLI default folder when installed, so both share one register', () => {
    const env = { HOME: '/home/u' };
    const location = chooseDataLocation(env, '/home/u/.config');
    expect(location).toEqual({ kind: 'installed', dir: defaultDataDir(env, 'linux'), dbPath: '/home/u/.config/school-office/school-office.db' });
  });

  it('travels with the portable executable', () => {
    expect(chooseDataLocation({ PORTABLE_EXECUTABLE_DIR: '/media/usb/Канцелярия' }, '/home/u/.config').dir).toBe('/media/usb/Канцелярия/Канцелярия-данные');
    expect(chooseDataLocation({ PORTABLE_EXECUTABLE_DIR: 'relative' }, '/a').kind).toBe('installed');
  });

  it('obeys an explicit override first', () => {
    expect(chooseDataLocation({ SCHOOL_OFFICE_DATA_DIR: '/srv/office', PORTABLE_EXECUTABLE_DIR: '/media/usb' }, '/a')).toMatchObject({ kind: 'env', dir: '/srv/office' });
  });
});
