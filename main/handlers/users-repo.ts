import type { User } from '../../common/api/schemas';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { UserRow } from '../../db/schema';
import type { SessionUser } from '../auth/sessions';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    login: row.login,
    fullName: row.full_name,
    role: row.role,
    locked: row.locked === 1,
    failedAttempts: row.failed_attempts,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    disclosedSince: row.disclosed_since,
  };
}

export function toSessionUser(row: UserRow): SessionUser {
  return { id: row.id, login: row.login, fullName: row.full_name, role: row.role };
}

/** What the audit log may show of a user: never the password hash. */
export function auditView(row: UserRow): Record<string, unknown> {
  return { login: row.login, fullName: row.full_name, role: row.role, locked: row.locked === 1, failedAttempts: row.failed_attempts };
}

export async function findUserById(db: Db, id: number): Promise<UserRow> {
  const row = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Пользователь № ${id} не найден. Обновите список.`);
  return row;
}

export async function countActiveAdmins(db: Db, exceptId?: number): Promise<number> {
  let query = db.selectFrom('app_user').where('role', '=', 'admin').where('locked', '=', 0);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
