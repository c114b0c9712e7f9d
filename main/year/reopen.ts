import { sql } from 'kysely';
import type { z } from 'zod';
import { ApiError } from '../../common/api/errors';
import type { reopenResultSchema } from '../../common/api/year-contract';
import type { Db } from '../../db/connection';
import type { YearCloseRowTableName } from '../../db/schema';
import { dependencyList, reopenDependencies, type CloseRecord } from './reopen-dependencies';

/**
 * «Reopen» (spec «Reopen»): undoes a year close exactly, inside the caller's transaction (the
 * dispatcher's). Refused with the reason while the next year holds changes that depend on the
 * close. Otherwise the year is opened FIRST (so that the closed-year guard lets its rows change),
 * the memberships the close ended get back what they held, every row the close created goes in
 * reverse dependency order, and the next year too if the close opened it. The data then equal
 * the pre-close state, and the order book's numbering continues where it did before the close
 * (numbers are the greatest in the book plus one: the close's orders were the last ones).
 */

export type ReopenResult = z.infer<typeof reopenResultSchema>;

export interface ReopenOutcome {
  result: ReopenResult;
  /** Memberships of the closed year given back their old end (for the audit entry). */
  restored: number;
  /** Access codes the close revoked, made active again (for the audit entry). */
  codesRestored: number;
  nextYearId: number | null;
}

/** Deleted in this order: each table only after the rows that point at it. */
const UNDO_ORDER: readonly { table: YearCloseRowTableName; kind: string }[] = [
  { table: 'class_membership', kind: 'memberships' },
  { table: 'movement_event', kind: 'movements' },
  { table: 'pupil_order', kind: 'orders' },
  { table: 'study_group', kind: 'groups' },
  { table: 'curriculum', kind: 'curriculum' },
  { table: 'school_class', kind: 'classes' },
  { table: 'holiday', kind: 'holidays' },
  { table: 'period', kind: 'periods' },
];

/** Ids per statement: well under SQLite's limit of bound variables. */
const BATCH = 500;

async function deleteRows(trx: Db, table: YearCloseRowTableName, ids: readonly number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const result = await trx.deleteFrom(table).where('id', 'in', batch).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

function refusal(yearName: string, nextName: string, found: Parameters<typeof dependencyList>[0], snapshot: string | null): ApiError {
  const restore = snapshot ? `, либо восстановите базу из копии, сделанной перед закрытием (${snapshot})` : '';
  return new ApiError(
    'refused',
    `В ${nextName} учебном году уже есть ${dependencyList(found)}, внесённые после закрытия ${yearName}: отменить закрытие нельзя. ` +
      `Сначала отмените эти изменения${restore}. Ничего не изменено.`,
  );
}

export async function reopenYear(trx: Db, yearId: number): Promise<ReopenOutcome> {
  const year = await trx.selectFrom('school_year').selectAll().where('id', '=', yearId).executeTakeFirst();
  if (!year) throw new ApiError('not_found', `Учебный год № ${yearId} не найден. Выберите год из списка.`, { yearId: 'нет такого учебного года' });
  const unchanged: ReopenOutcome = { result: { year: year.name, yearId, changed: false, removed: {} }, restored: 0, codesRestored: 0, nextYearId: null };
  if (year.closed !== 1) return unchanged;

  const close = await trx.selectFrom('year_close').selectAll().where('year_id', '=', yearId).executeTakeFirst();
  if (!close) {
    // Closed without the close's record (by an older version or by hand): nothing to undo but the flag.
    await trx.updateTable('school_year').set({ closed: 0, closed_at: null }).where('id', '=', yearId).execute();
    return { ...unchanged, result: { ...unchanged.result, changed: true } };
  }
  const record: CloseRecord = { yearId, nextYearId: close.next_year_id, nextYearCreated: close.next_year_created === 1 };
  const found = await reopenDependencies(trx, record);
  if (found.length > 0) {
    const next = await trx.selectFrom('school_year').select('name').where('id', '=', close.next_year_id).executeTakeFirst();
    throw refusal(year.name, next?.name ?? 'следующем', found, close.snapshot_file);
  }

  // 1. FIRST: the year is open again; from here the guard lets its rows change.
  await trx.updateTable('school_year').set({ closed: 0, closed_at: null }).where('id', '=', yearId).execute();

  // 2. The memberships the close ended get back their old end (before their end events go).
  const restored = await sql`update class_membership
      set to_date = (select e.old_to_date from year_close_ending e where e.year_id = ${yearId} and e.membership_id = class_membership.id),
          end_event_id = (select e.old_end_event_id from year_close_ending e where e.year_id = ${yearId} and e.membership_id = class_membership.id)
      where id in (select membership_id from year_close_ending where year_id = ${yearId})`.execute(trx);

  // 3. The access codes the close revoked get back what they held (checked untouched above).
  const codes = await sql`update access_code
      set status = (select k.old_status from year_close_code k where k.year_id = ${yearId} and k.code_id = access_code.id),
          revoked_at = (select k.old_revoked_at from year_close_code k where k.year_id = ${yearId} and k.code_id = access_code.id),
          revoke_reason = (select k.old_revoke_reason from year_close_code k where k.year_id = ${yearId} and k.code_id = access_code.id)
      where id in (select code_id from year_close_code where year_id = ${yearId})`.execute(trx);
  await trx.deleteFrom('year_close_code').where('year_id', '=', yearId).execute();

  // 4. What the close created, read before its record goes (the record points at the next year).
  const rows = await trx.selectFrom('year_close_row').select(['table_name', 'row_id']).where('year_id', '=', yearId).orderBy('row_id').execute();
  const idsOf = (table: YearCloseRowTableName) => rows.filter((r) => r.table_name === table).map((r) => r.row_id);
  await trx.deleteFrom('year_close_ending').where('year_id', '=', yearId).execute();
  await trx.deleteFrom('year_close_row').where('year_id', '=', yearId).execute();
  await trx.deleteFrom('year_close').where('year_id', '=', yearId).execute();

  // 5. The created rows, each table after those that point at it; the next year last.
  const removed: Record<string, number> = {};
  for (const { table, kind } of UNDO_ORDER) {
    const n = await deleteRows(trx, table, idsOf(table));
    if (n > 0) removed[kind] = n;
  }
  // The year the close opened goes too (its own row is recorded; the flag is the fallback).
  const createdYears = new Set(idsOf('school_year'));
  if (record.nextYearCreated) createdYears.add(record.nextYearId);
  const years = await deleteRows(trx, 'school_year', [...createdYears]);
  if (years > 0) removed['years'] = years;
  const codesRestored = Number(codes.numAffectedRows ?? 0);

  return {
    result: { year: year.name, yearId, changed: true, removed },
    restored: Number(restored.numAffectedRows ?? 0),
    codesRestored,
    nextYearId: close.next_year_id,
  };
}
