import { ApiError } from '../../common/api/errors';
import { hashPassword } from '../auth/password';
import type { Handler, HandlerContext } from '../context';
import { auditView, countActiveAdmins, findUserById, toSessionUser, toUser } from './users-repo';

export const list: Handler<'users.list'> = async (ctx) => {
  const rows = await ctx.db.selectFrom('app_user').selectAll().orderBy('login').execute();
  return { users: rows.map(toUser) };
};

export const create: Handler<'users.create'> = async (ctx, params) => {
  const taken = await ctx.db.selectFrom('app_user').select('id').where('login', '=', params.login).executeTakeFirst();
  if (taken) throw new ApiError('conflict', `Логин «${params.login}» уже занят. Выберите другой.`, { login: 'логин уже занят' });
  const passwordHash = await hashPassword(params.password);
  const row = await ctx.db
    .insertInto('app_user')
    .values({
      login: params.login,
      full_name: params.fullName,
      role: params.role,
      password_hash: passwordHash,
      created_at: ctx.now().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit({ entity: 'user', entityId: row.id, after: auditView(row) });
  return toUser(row);
};

async function ensureAnAdminRemains(ctx: HandlerContext, userId: number, what: string): Promise<void> {
  if ((await countActiveAdmins(ctx.db, userId)) === 0) {
    throw new ApiError('refused', `Нельзя ${what}: это единственный действующий администратор. Сначала назначьте другого администратора.`);
  }
}

export const update: Handler<'users.update'> = async (ctx, params) => {
  const before = await findUserById(ctx.db, params.id);
  if (params.role && params.role !== 'admin' && before.role === 'admin') await ensureAnAdminRemains(ctx, before.id, 'сменить роль');
  const after = await ctx.db
    .updateTable('app_user')
    .set({ full_name: params.fullName ?? before.full_name, role: params.role ?? before.role })
    .where('id', '=', params.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit({ entity: 'user', entityId: after.id, before: auditView(before), after: auditView(after) });
  ctx.app.sessions.updateUser(after.id, toSessionUser(after));
  return toUser(after);
};

export const lock: Handler<'users.lock'> = async (ctx, params) => {
  const before = await findUserById(ctx.db, params.id);
  if (ctx.session?.user.id === before.id) throw new ApiError('refused', 'Нельзя заблокировать собственную учётную запись.');
  if (before.role === 'admin') await ensureAnAdminRemains(ctx, before.id, 'заблокировать пользователя');
  const after = await ctx.db
    .updateTable('app_user')
    .set({ locked: 1, locked_at: ctx.now().toISOString() })
    .where('id', '=', params.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit({ entity: 'user', entityId: after.id, before: auditView(before), after: auditView(after) });
  ctx.app.sessions.updateUser(after.id, null);
  return toUser(after);
};

export const unlock: Handler<'users.unlock'> = async (ctx, params) => {
  const before = await findUserById(ctx.db, params.id);
  const after = await ctx.db
    .updateTable('app_user')
    .set({ locked: 0, locked_at: null, failed_attempts: 0 })
    .where('id', '=', params.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit({ entity: 'user', entityId: after.id, before: auditView(before), after: auditView(after) });
  return toUser(after);
};

export const resetPassword: Handler<'users.resetPassword'> = async (ctx, params) => {
  const before = await findUserById(ctx.db, params.id);
  const passwordHash = await hashPassword(params.password);
  const after = await ctx.db
    .updateTable('app_user')
    .set({ password_hash: passwordHash, failed_attempts: 0 })
    .where('id', '=', params.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit({ entity: 'user', entityId: after.id, before: auditView(before), after: { ...auditView(after), passwordChanged: true } });
  if (ctx.session?.user.id !== after.id) ctx.app.sessions.updateUser(after.id, null);
  return toUser(after);
};
