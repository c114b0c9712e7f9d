import { sql } from 'kysely';
import type { DisclosedChange } from '../../common/api/disclosure-contract';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { UserRow } from '../../db/schema';
import type { HandlerContext } from '../context';
import { auditView, countActiveAdmins, findUserById, toUser } from '../handlers/users-repo';
import { withRollback, runReverts, type Outcome } from './engine';
import { changesSince, revertedIds } from './entries';
import type { RevertContext } from './types';

/** The user as the disclosure screens show them: with the moment of disclosure. */
export function disclosedUser(row: UserRow) {
  return toUser(row);
}

/** «2026-03-12T12:00:00+03:00» → «2026-03-12T09:00:00.000Z»: the form audit_log.at is kept in. */
export function normalizeSince(ctx: HandlerContext, since: string): string {
  const moment = new Date(since);
  if (Number.isNaN(moment.getTime())) throw new ApiError('invalid_params', 'Проверьте данные: «Раскрыты с»: момент записан непонятно.', { since: 'непонятный момент' });
  if (moment.getTime() > ctx.now().getTime()) {
    throw new ApiError('invalid_params', 'Проверьте данные: «Раскрыты с»: момент раскрытия не может быть в будущем.', { since: 'момент в будущем' });
  }
  return moment.toISOString();
}

/** The moment given, or the one recorded when the account was marked disclosed. */
export function sinceFor(ctx: HandlerContext, row: UserRow, since: string | undefined): string {
  if (since !== undefined) return normalizeSince(ctx, since);
  if (row.disclosed_since === null) {
    throw new ApiError('invalid_params', `Проверьте данные: «Раскрыты с»: учётная запись ${row.login} не отмечена как раскрытая — укажите, с какого момента смотреть изменения.`, {
      since: 'укажите момент',
    });
  }
  return row.disclosed_since;
}

/**
 * Marks the account disclosed and locks it: its sessions end at once, and it cannot sign in
 * until an administrator unlocks it with a new password.
 */
export async function markDisclosed(ctx: HandlerContext, id: number, since: string): Promise<{ before: UserRow; after: UserRow }> {
  const before = await findUserById(ctx.db, id);
  if (ctx.session?.user.id === before.id) {
    throw new ApiError('refused', 'Нельзя отметить раскрытой собственную учётную запись: попросите об этом другого администратора.');
  }
  if (before.role === 'admin' && before.locked === 0 && (await countActiveAdmins(ctx.db, before.id)) === 0) {
    throw new ApiError('refused', 'Нельзя заблокировать единственного действующего администратора. Сначала назначьте другого администратора.');
  }
  const lockedAt = before.locked === 1 ? before.locked_at : ctx.now().toISOString();
  const after = await ctx.db
    .updateTable('app_user')
    .set({ locked: 1, locked_at: lockedAt, disclosed_since: since })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.app.sessions.updateUser(after.id, null);
  return { before, after };
}

export function disclosureView(row: UserRow): Record<string, unknown> {
  return { ...auditView(row), disclosedSince: row.disclosed_since };
}

function revertContext(ctx: HandlerContext, db: Db, userId: number): RevertContext {
  const session = ctx.session;
  if (!session) throw new ApiError('no_session', 'Сеанс завершён. Войдите в программу снова.');
  return { db, app: ctx.app, now: ctx.now(), actor: { userId: session.user.id, login: session.user.login }, disclosedUserId: userId, effects: [] };
}

export function toChange(o: Outcome): DisclosedChange {
  return {
    auditId: o.entry.id,
    at: o.entry.at,
    method: o.entry.method,
    title: o.title,
    entity: o.entry.entity,
    entityId: o.entry.entityId,
    summary: o.summary,
    revertible: o.status === 'reverted',
    conflict: o.status === 'refused' || o.status === 'nothing' ? o.reason : null,
    reverted: o.status === 'already',
  };
}

/**
 * The listing: the batch is tried for real and rolled back, so «revertible» means exactly what
 * the revert would do now (a chain of edits of one card is reverted newest first).
 */
export async function previewChanges(ctx: HandlerContext, row: UserRow, since: string): Promise<Outcome[]> {
  return ctx.db.connection().execute(async (conn) => {
    // The write lock up front (as every write takes it): the tried reverts never meet a
    // snapshot that another process changed meanwhile. Always rolled back.
    await sql`begin immediate`.execute(conn);
    try {
      const r = revertContext(ctx, conn, row.id);
      return await runReverts(r, await changesSince(conn, row.id, since), await revertedIds(conn));
    } finally {
      await sql`rollback`.execute(conn);
    }
  });
}

/** Inside the write transaction: reverts (or, for a dry run, tries and rolls back) the batch. */
export async function revertChanges(ctx: HandlerContext, row: UserRow, since: string, dryRun: boolean): Promise<Outcome[]> {
  const r = revertContext(ctx, ctx.db, row.id);
  const run = async () => runReverts(r, await changesSince(ctx.db, row.id, since), await revertedIds(ctx.db));
  if (dryRun) return withRollback(ctx.db, run);
  const outcomes = await run();
  for (const o of outcomes) if (o.note) ctx.audit(o.note);
  for (const effect of r.effects) effect();
  return outcomes;
}
