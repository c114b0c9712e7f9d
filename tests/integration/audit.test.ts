import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';

let t: (TestApp & { adminSession: string }) | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function withSomeHistory() {
  t = await openInitializedApp();
  const user = await t.call('users.create', { login: 'sec', fullName: 'Петрова Ольга', role: 'secretary', password: 'very-secret-1' }, t.adminSession);
  await t.call('users.update', { id: user.id, fullName: 'Петрова Ольга Ивановна' }, t.adminSession);
  await t.call('users.resetPassword', { id: user.id, password: 'very-secret-2' }, t.adminSession);
  await t.call('school.update', { directorName: 'Смирнов Павел Андреевич' }, t.adminSession);
  await t.refuse('auth.login', { login: 'sec', password: 'wrong-password' });
  return { t, user };
}

function tamper(dbPath: string, statement: string): void {
  const raw = new BetterSqlite3(dbPath);
  raw.prepare(statement).run();
  raw.close();
}

describe('the audit log', () => {
  it('records who changed what, with before and after', async () => {
    const { t, user } = await withSomeHistory();
    const { rows, total } = await t.call('audit.list', { entity: 'user' }, t.adminSession);
    expect(total).toBeGreaterThanOrEqual(4);
    const update = rows.find((r) => r.method === 'users.update');
    expect(update).toMatchObject({ userLogin: 'admin', entity: 'user', entityId: String(user.id), action: 'Изменение пользователя' });
    expect(update?.before).toMatchObject({ fullName: 'Петрова Ольга' });
    expect(update?.after).toMatchObject({ fullName: 'Петрова Ольга Ивановна' });
    const failed = await t.call('audit.list', { method: 'auth.login' }, t.adminSession);
    expect(failed.rows.some((r) => r.action === 'Неудачный вход' && r.userLogin === 'sec')).toBe(true);
    const school = await t.call('audit.list', { entity: 'school' }, t.adminSession);
    expect(school.rows[0]?.after).toMatchObject({ directorName: 'Смирнов Павел Андреевич' });
  });

  it('never stores passwords or their hashes', async () => {
    const { t } = await withSomeHistory();
    const raw = new BetterSqlite3(t.dbPath, { readonly: true });
    const dump = JSON.stringify(raw.prepare('select * from audit_log').all());
    const hashes = (raw.prepare('select password_hash from app_user').all() as Array<{ password_hash: string }>).map((r) => r.password_hash);
    raw.close();
    for (const secret of [ADMIN.password, 'very-secret-1', 'very-secret-2', 'wrong-password', ...hashes]) expect(dump).not.toContain(secret);
  });

  it('pages newest first with a keyset cursor and filters by user and date', async () => {
    const { t } = await withSomeHistory();
    const first = await t.call('audit.list', { limit: 2 }, t.adminSession);
    expect(first.rows).toHaveLength(2);
    expect(first.rows[0]!.id).toBeGreaterThan(first.rows[1]!.id);
    const second = await t.call('audit.list', { limit: 2, beforeId: first.nextBeforeId! }, t.adminSession);
    expect(second.rows[0]!.id).toBeLessThan(first.rows[1]!.id);
    const bySec = await t.call('audit.list', { userLogin: 'sec' }, t.adminSession);
    expect(bySec.rows.every((r) => r.userLogin === 'sec')).toBe(true);
    const future = await t.call('audit.list', { from: '2999-01-01' }, t.adminSession);
    expect(future.total).toBe(0);
  });

  it('verifies an intact chain', async () => {
    const { t } = await withSomeHistory();
    const result = await t.call('audit.verify', {}, t.adminSession);
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThanOrEqual(6);
    expect(result.firstBroken).toBeNull();
  });

  it('names the first edited entry', async () => {
    const { t } = await withSomeHistory();
    tamper(t.dbPath, "update audit_log set user_login = 'someone' where id = 3");
    const result = await t.call('audit.verify', {}, t.adminSession);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ id: 3, reason: expect.stringMatching(/изменено/) });
    expect(result.entries).toBe(2);
  });

  it('detects a deleted entry in the middle', async () => {
    const { t } = await withSomeHistory();
    tamper(t.dbPath, 'delete from audit_log where id = 2');
    expect((await t.call('audit.verify', {}, t.adminSession)).firstBroken).toMatchObject({ id: 3, reason: expect.stringMatching(/удалена/) });
  });

  it('detects entries deleted from the end', async () => {
    const { t } = await withSomeHistory();
    const last = await t.app.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    tamper(t.dbPath, `delete from audit_log where id = ${last.id}`);
    // The verify call itself is a read: it adds nothing to the log, so the gap stays at the end.
    const result = await t.call('audit.verify', {}, t.adminSession);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ id: last.id, reason: expect.stringMatching(/удалены из конца/) });
  });
});
