import type { School, Settings } from '../../common/api/schemas';
import { roleLabel } from '../../common/roles';
import { readSchool } from '../handlers/school';
import { auditView, countActiveAdmins, toSessionUser } from '../handlers/users-repo';
import { readSettings, writeSettings } from '../settings';
import { changedKeys, changedText, columnOf, describeObject, ensureStillAfter, numberOf } from './describe';
import { Refusal, type DisclosedEntry, type RevertContext, type Strategy } from './types';

/** Users, the school card and the settings: small rows restored field by field. */

async function userRow(r: RevertContext, e: DisclosedEntry) {
  const id = numberOf(e.entityId);
  const row = id === null ? undefined : await r.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal(`пользователь № ${e.entityId} не найден`);
  return row;
}

async function ensureAdminRemains(r: RevertContext, userId: number): Promise<void> {
  if ((await countActiveAdmins(r.db, userId)) === 0) throw new Refusal('это единственный действующий администратор');
}

/** Locks an account and ends its sessions (once the batch is applied). */
export async function lockUser(r: RevertContext, userId: number): Promise<void> {
  await r.db.updateTable('app_user').set({ locked: 1, locked_at: r.now.toISOString() }).where('id', '=', userId).execute();
  r.effects.push(() => r.app.sessions.updateUser(userId, null));
}

export const userCreate: Strategy = {
  async summary(db, e) {
    const role = typeof e.after?.role === 'string' ? roleLabel(e.after.role as never) : '?';
    return `Создан ${await describeObject(db, 'user', e.entityId)} (роль «${role}»)`;
  },
  // The account cannot be deleted (the log refers to it): it is locked instead.
  async revert(r, e) {
    const row = await userRow(r, e);
    if (row.id === r.actor.userId) throw new Refusal('это ваша собственная учётная запись');
    if (row.locked === 1) throw new Refusal('учётная запись уже заблокирована');
    if (row.role === 'admin') await ensureAdminRemains(r, row.id);
    await lockUser(r, row.id);
    return { before: auditView(row), after: { ...auditView(row), locked: true } };
  },
};

const USER_FIELDS = ['fullName', 'role'] as const;

export const userUpdate: Strategy = {
  async summary(db, e) {
    return `${await describeObject(db, 'user', e.entityId)}: ${changedText(e, USER_FIELDS)}`;
  },
  async revert(r, e) {
    const row = await userRow(r, e);
    const keys = changedKeys(e, USER_FIELDS);
    const current = auditView(row);
    ensureStillAfter(current, e, keys);
    const before = e.before ?? {};
    const role = keys.includes('role') ? (before.role as typeof row.role) : row.role;
    if (row.role === 'admin' && role !== 'admin') await ensureAdminRemains(r, row.id);
    const fullName = keys.includes('fullName') && typeof before.fullName === 'string' ? before.fullName : row.full_name;
    const after = await r.db.updateTable('app_user').set({ full_name: fullName, role }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    r.effects.push(() => r.app.sessions.updateUser(after.id, after.locked === 1 ? null : toSessionUser(after)));
    return { before: current, after: auditView(after) };
  },
};

/** users.lock / users.unlock: the lock goes back to what it was, never for the disclosed account. */
function lockStrategy(lockedBefore: boolean): Strategy {
  return {
    async summary(db, e) {
      return `${await describeObject(db, 'user', e.entityId)}: ${lockedBefore ? 'разблокирован' : 'заблокирован'}`;
    },
    async revert(r, e) {
      const row = await userRow(r, e);
      if ((row.locked === 1) === lockedBefore) throw new Refusal(`учётная запись уже ${lockedBefore ? 'заблокирована' : 'разблокирована'}`);
      if (lockedBefore) {
        if (row.id === r.actor.userId) throw new Refusal('это ваша собственная учётная запись');
        if (row.role === 'admin') await ensureAdminRemains(r, row.id);
        await lockUser(r, row.id);
      } else {
        if (row.id === r.disclosedUserId || row.disclosed_since !== null) throw new Refusal('учётные данные этого пользователя раскрыты: она остаётся заблокированной');
        await r.db.updateTable('app_user').set({ locked: 0, locked_at: null, failed_attempts: 0 }).where('id', '=', row.id).execute();
      }
      const after = await r.db.selectFrom('app_user').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return { before: auditView(row), after: auditView(after) };
    },
  };
}
export const userLock = lockStrategy(false);
export const userUnlock = lockStrategy(true);

export const schoolUpdate: Strategy = {
  async summary(_db, e) {
    return `Сведения о школе: ${changedText(e)}`;
  },
  async revert(r, e) {
    const current = (await readSchool(r.db)) as Record<string, unknown>;
    const keys = changedKeys(e).filter((k) => k in current);
    ensureStillAfter(current, e, keys);
    const columns: Record<string, unknown> = { updated_at: r.now.toISOString() };
    for (const key of keys) columns[columnOf(key)] = (e.before ?? {})[key] ?? '';
    await r.db.updateTable('school').set(columns as never).where('id', '=', 1).execute();
    return { before: current, after: (await readSchool(r.db)) satisfies School };
  },
};

export const settingsUpdate: Strategy = {
  async summary(_db, e) {
    return `Настройки: ${changedText(e)}`;
  },
  async revert(r, e) {
    const current = await readSettings(r.db);
    const keys = changedKeys(e).filter((k) => k in current);
    ensureStillAfter(current, e, keys);
    const restored: Partial<Settings> = {};
    for (const key of keys) (restored as Record<string, unknown>)[key] = (e.before ?? {})[key];
    await writeSettings(r.db, restored, r.now);
    const after = await readSettings(r.db);
    r.effects.push(() => {
      r.app.settings = after;
    });
    return { before: current, after };
  },
};

export const accountStrategies: Readonly<Record<string, Strategy>> = {
  'users.create': userCreate,
  'users.update': userUpdate,
  'users.lock': userLock,
  'users.unlock': userUnlock,
  'school.update': schoolUpdate,
  'settings.update': settingsUpdate,
};
