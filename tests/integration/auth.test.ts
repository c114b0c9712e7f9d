import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, openInitializedApp, openTestApp, type TestApp } from '../support/app';

let t: (TestApp & { adminSession?: string }) | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('first run and login', () => {
  it('reports an uninitialized register, then creates the administrator once', async () => {
    t = await openTestApp();
    expect(await t.call('app.status', {})).toMatchObject({ initialized: false, schoolName: null });
    const setup = await t.call('auth.setup', ADMIN);
    expect(setup.user).toMatchObject({ login: 'admin', role: 'admin' });
    expect(await t.call('app.status', {})).toMatchObject({ initialized: true, schoolName: ADMIN.schoolName });
    const again = await t.refuse('auth.setup', { ...ADMIN, login: 'other' });
    expect(again.code).toBe('refused');
    const users = await t.call('users.list', {}, setup.sessionId);
    expect(users.users.map((u) => u.login)).toEqual(['admin']);
  });

  it('logs in with the right password and refuses a wrong one with a Russian message', async () => {
    t = await openInitializedApp();
    const ok = await t.call('auth.login', { login: 'ADMIN', password: ADMIN.password });
    expect(ok.user.login).toBe('admin');
    const bad = await t.refuse('auth.login', { login: 'admin', password: 'wrong' });
    expect(bad.code).toBe('bad_credentials');
    expect(bad.message).toMatch(/Неверный логин или пароль/);
    const unknown = await t.refuse('auth.login', { login: 'nobody', password: 'wrong' });
    expect(unknown.code).toBe('bad_credentials');
  });

  it('locks the account after five failures, even against the right password, until an admin unlocks it', async () => {
    t = await openInitializedApp();
    const sec = await t.call(
      'users.create',
      { login: 'sec', fullName: 'Петрова Ольга Ивановна', role: 'secretary', password: 'sec-secret' },
      t.adminSession!,
    );
    for (let i = 1; i <= 4; i += 1) {
      expect((await t.refuse('auth.login', { login: 'sec', password: `bad${i}` })).code).toBe('bad_credentials');
    }
    expect((await t.refuse('auth.login', { login: 'sec', password: 'bad5' })).code).toBe('account_locked');
    const locked = await t.refuse('auth.login', { login: 'sec', password: 'sec-secret' });
    expect(locked.code).toBe('account_locked');
    expect(locked.message).toMatch(/администратор/);
    await t.call('users.unlock', { id: sec.id }, t.adminSession!);
    expect((await t.call('auth.login', { login: 'sec', password: 'sec-secret' })).user.role).toBe('secretary');
  });

  it('locks the screen after the configured idle time and unlocks it with the password', async () => {
    let clock = new Date('2026-11-23T09:00:00Z').getTime();
    t = await openInitializedApp({ now: () => new Date(clock) });
    await t.call('settings.update', { lockAfterMinutes: 10 }, t.adminSession!);
    clock += 11 * 60_000;
    const refused = await t.refuse('users.list', {}, t.adminSession!);
    expect(refused.code).toBe('screen_locked');
    expect((await t.call('auth.me', {}, t.adminSession!)).screenLocked).toBe(true);
    expect((await t.refuse('auth.unlockScreen', { password: 'nope' }, t.adminSession!)).code).toBe('bad_credentials');
    await t.call('auth.unlockScreen', { password: ADMIN.password }, t.adminSession!);
    expect((await t.call('users.list', {}, t.adminSession!)).users).toHaveLength(1);
  });
});
