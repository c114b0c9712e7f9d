import { ApiError } from '../../common/api/errors';
import { ensureSigningKey } from '../archive/keys';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../auth/password';
import type { Handler } from '../context';
import { readSettings, writeSettings, DEFAULT_SETTINGS } from '../settings';
import { auditView, findUserById, toSessionUser } from './users-repo';

export const MAX_FAILED_LOGINS = 5;

const BAD_CREDENTIALS = 'Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.';
const LOCKED =
  'Учётная запись заблокирована: пять неудачных попыток входа подряд или решение администратора. ' +
  'Обратитесь к администратору, чтобы он её разблокировал.';

export const setup: Handler<'auth.setup'> = async (ctx, params) => {
  const passwordHash = await hashPassword(params.password);
  const at = ctx.now().toISOString();
  const user = await ctx.write(async (trx) => {
    const existing = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
    if (existing) {
      throw new ApiError('refused', 'Программа уже настроена: администратор уже создан, ничего не изменено. Войдите под своей учётной записью.');
    }
    await trx
      .insertInto('school')
      .values({ id: 1, name: params.schoolName, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: params.schoolName, updated_at: at }))
      .execute();
    await writeSettings(trx, DEFAULT_SETTINGS, ctx.now());
    const inserted = await trx
      .insertInto('app_user')
      .values({ login: params.login, full_name: params.fullName, role: 'admin', password_hash: passwordHash, created_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    const actor = { userId: inserted.id, login: inserted.login };
    ctx.audit({ actor, entity: 'school', entityId: 1, after: { name: params.schoolName } });
    ctx.audit({ actor, action: 'Создание пользователя', entity: 'user', entityId: inserted.id, after: auditView(inserted) });
    // The school's archive signing key is made with the school (issue 7); its fingerprint is printed on every certification sheet.
    if (ctx.app.opened.path !== ':memory:') {
      const key = await ensureSigningKey(trx, ctx.app.opened.path, ctx.now());
      ctx.audit({ actor, action: 'Создание ключа электронной подписи архива', entity: 'archive_key', details: { fingerprint: key.fingerprint } });
    }
    return inserted;
  });
  ctx.app.settings = await readSettings(ctx.app.db);
  const session = ctx.app.sessions.create(toSessionUser(user));
  return { sessionId: session.id, user: session.user, lockAfterMinutes: ctx.app.settings.lockAfterMinutes };
};

export const login: Handler<'auth.login'> = async (ctx, params) => {
  const loginName = params.login.toLowerCase();
  const row = await ctx.db.selectFrom('app_user').selectAll().where('login', '=', loginName).executeTakeFirst();
  if (!row) {
    await verifyPassword(params.password, await decoyPasswordHash());
    await ctx.write(async () => {
      ctx.audit({ action: 'Неудачный вход', details: { login: loginName, reason: 'нет такого пользователя' } });
    });
    throw new ApiError('bad_credentials', BAD_CREDENTIALS);
  }
  const actor = { userId: row.id, login: row.login };
  if (row.locked === 1) {
    await ctx.write(async () => {
      ctx.audit({ actor, action: 'Неудачный вход', entity: 'user', entityId: row.id, details: { reason: 'учётная запись заблокирована' } });
    });
    throw new ApiError('account_locked', LOCKED);
  }
  const valid = await verifyPassword(params.password, row.password_hash);
  const at = ctx.now().toISOString();
  if (!valid) {
    const lockedNow = await ctx.write(async (trx) => {
      // Re-read inside the transaction: two wrong attempts at once must both count.
      const fresh = await findUserById(trx, row.id);
      const failed = fresh.failed_attempts + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await trx
        .updateTable('app_user')
        .set({ failed_attempts: failed, locked: lock ? 1 : fresh.locked, locked_at: lock ? at : fresh.locked_at })
        .where('id', '=', row.id)
        .execute();
      ctx.audit({ actor, action: 'Неудачный вход', entity: 'user', entityId: row.id, details: { reason: 'неверный пароль', failedAttempts: failed } });
      if (lock) {
        ctx.audit({ actor, action: 'Блокировка после неудачных попыток входа', entity: 'user', entityId: row.id, after: { locked: true } });
      }
      return lock;
    });
    if (lockedNow) throw new ApiError('account_locked', `Неверный пароль. ${LOCKED}`);
    throw new ApiError('bad_credentials', BAD_CREDENTIALS);
  }
  await ctx.write(async (trx) => {
    await trx.updateTable('app_user').set({ failed_attempts: 0, last_login_at: at }).where('id', '=', row.id).execute();
    ctx.audit({ actor, action: 'Вход', entity: 'user', entityId: row.id });
  });
  const session = ctx.app.sessions.create(toSessionUser(row));
  return { sessionId: session.id, user: session.user, lockAfterMinutes: ctx.app.settings.lockAfterMinutes };
};

export const logout: Handler<'auth.logout'> = async (ctx) => {
  const session = ctx.session!;
  await ctx.write(async () => ctx.audit({ action: 'Выход', entity: 'user', entityId: session.user.id }));
  ctx.app.sessions.delete(session.id);
  return { ok: true as const };
};

export const me: Handler<'auth.me'> = async (ctx) => {
  const session = ctx.session!;
  return { user: session.user, lockAfterMinutes: ctx.app.settings.lockAfterMinutes, screenLocked: session.screenLocked };
};

export const unlockScreen: Handler<'auth.unlockScreen'> = async (ctx, params) => {
  const session = ctx.session!;
  const row = await findUserById(ctx.db, session.user.id);
  if (!(await verifyPassword(params.password, row.password_hash))) {
    await ctx.write(async () =>
      ctx.audit({ action: 'Неудачная разблокировка экрана', entity: 'user', entityId: row.id }),
    );
    throw new ApiError('bad_credentials', 'Неверный пароль. Введите пароль своей учётной записи.');
  }
  ctx.app.sessions.unlockScreen(session);
  return { ok: true as const };
};

export const changePassword: Handler<'auth.changePassword'> = async (ctx, params) => {
  const session = ctx.session!;
  const row = await findUserById(ctx.db, session.user.id);
  if (!(await verifyPassword(params.currentPassword, row.password_hash))) {
    throw new ApiError('bad_credentials', 'Текущий пароль введён неверно. Пароль не изменён.', { currentPassword: 'неверный пароль' });
  }
  const passwordHash = await hashPassword(params.newPassword);
  await ctx.write(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', row.id).execute();
    ctx.audit({ action: 'Смена своего пароля', entity: 'user', entityId: row.id, after: { passwordChanged: true } });
  });
  return { ok: true as const };
};
