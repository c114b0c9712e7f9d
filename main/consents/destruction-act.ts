import { sql } from 'kysely';
import { DESTRUCTION_ACT_KEEP_YEARS } from '../../common/api/consents';
import type { Db } from '../../db/connection';
import { ruDate } from '../contingent/dates';

/**
 * Numbering and dates of acts of destruction. Acts are numbered continuously within the
 * calendar year of their date and stored as «2026-3»; people see «№ 3 от 01.12.2026».
 */
export async function nextActNumber(trx: Db, actDate: string): Promise<string> {
  const year = actDate.slice(0, 4);
  const row = await trx
    .selectFrom('destruction_act')
    .select(sql<number | null>`max(cast(substr(number, 6) as integer))`.as('last'))
    .where('number', 'like', `${year}-%`)
    .executeTakeFirst();
  return `${year}-${(row?.last ?? 0) + 1}`;
}

/** «№ 3 от 01.12.2026» from the stored number and the act's date. */
export function actTitle(number: string, actDate: string): string {
  return `№ ${actNumberShown(number)} от ${ruDate(actDate)}`;
}

/** The number as printed: the sequence within its year ('2026-3' → '3'). */
export function actNumberShown(number: string): string {
  return number.includes('-') ? number.slice(number.indexOf('-') + 1) : number;
}

/** The marker left in the event log in place of each destroyed value. */
export function erasureMarker(number: string, actDate: string): string {
  return `[уничтожено: акт ${actTitle(number, actDate)}]`;
}

/** The act and its log export are kept 3 years; 29 February falls back to the 28th. */
export function keepUntil(actDate: string): string {
  const year = Number(actDate.slice(0, 4)) + DESTRUCTION_ACT_KEEP_YEARS;
  const monthDay = actDate.slice(5) === '02-29' ? '02-28' : actDate.slice(5);
  return `${year}-${monthDay}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
