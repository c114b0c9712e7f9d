import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection';
import { plural } from '../../common/domain/russian';
import { CLOSE_REVOKE_REASON } from './close/codes';

/**
 * What stands in the way of «reopen»: changes made after the close that rest on what it created
 * (spec «Reopen»). Undoing the close under them would leave pupils in deleted classes, orders
 * with numbers taken twice, lessons of a year that no longer exists — so the reopen is refused
 * and the reason names what depends on it and how many.
 */

export interface CloseRecord {
  yearId: number;
  nextYearId: number;
  nextYearCreated: boolean;
}

export interface Dependency {
  /** Russian noun forms for 1, 2 and 5: «запись о движении», «записи о движении», «записей о движении». */
  forms: readonly [string, string, string];
  count: number;
}

/** Rows of `table` the close created (year_close_row). */
const created = (close: CloseRecord, table: string) =>
  sql`(select row_id from year_close_row where year_id = ${close.yearId} and table_name = ${table})`;

/** Classes of the next year, and those the close created there (some may be gone since). */
const nextClasses = (close: CloseRecord) =>
  sql`(select id from school_class where year_id = ${close.nextYearId} union select row_id from year_close_row where year_id = ${close.yearId} and table_name = 'school_class')`;

/**
 * Classes whose structure the close made: every class of a next year it opened, else the classes
 * it added to an existing one (that year's own classes were there before and are not its work).
 */
const madeClasses = (close: CloseRecord) => (close.nextYearCreated ? nextClasses(close) : created(close, 'school_class'));

/**
 * The first row of `table` the close created: a row of it with a greater id came after the close
 * (AUTOINCREMENT never reuses ids). Rows of the next year made before the close — admissions
 * to next year's first classes in the spring — do not depend on it.
 */
const firstCreated = (close: CloseRecord, table: string) =>
  sql`coalesce((select min(row_id) from year_close_row where year_id = ${close.yearId} and table_name = ${table}), 0)`;

/**
 * The latest consent decision matching `where` (by date, then entry, as main/consents/eligibility.ts
 * reads it) is a refusal or a withdrawal decided on or after the day of the close (`y` is its
 * year_close row; closed_at is an ISO moment, its first ten characters the day).
 */
const refusedSince = (where: RawBuilder<unknown>) =>
  sql`exists (select 1 from consent d where d.id = (select s.id from consent s where ${where} order by s.decided_on desc, s.id desc limit 1)
      and d.status in ('refused', 'withdrawn') and d.decided_on >= substr(y.closed_at, 1, 10))`;

/** Set-up methods whose audit entries mean the structure was edited (ids are never reused: AUTOINCREMENT). */
const SETUP_METHODS = ['years.saveCalendar', 'classes.save', 'classes.delete', 'curriculum.save', 'years.applyDraft'];

interface Check {
  forms: Dependency['forms'];
  /** Applies only when the close opened the next year itself. */
  onlyCreatedYear?: boolean;
  count(close: CloseRecord, next: { starts_on: string; ends_on: string; name: string }): RawBuilder<{ n: number }>;
}

const CHECKS: readonly Check[] = [
  {
    forms: ['запись о движении', 'записи о движении', 'записей о движении'],
    count: (c, y) => sql`select count(*) as n from movement_event
      where id not in ${created(c, 'movement_event')} and id > ${firstCreated(c, 'movement_event')}
        and (event_date between ${y.starts_on} and ${y.ends_on} or from_class_id in ${nextClasses(c)} or to_class_id in ${nextClasses(c)})`,
  },
  {
    forms: ['запись в списках классов', 'записи в списках классов', 'записей в списках классов'],
    count: (c) => sql`select count(*) as n from class_membership
      where class_id in ${nextClasses(c)} and id not in ${created(c, 'class_membership')}
        and (start_event_id is null or start_event_id > ${firstCreated(c, 'movement_event')})`,
  },
  {
    forms: ['приказ', 'приказа', 'приказов'],
    // In the next year's book, or later in the closing year's book than the close's own orders:
    // removing those would leave a gap in the numbering.
    count: (c, y) => sql`select count(*) as n from pupil_order o
      where o.id not in ${created(c, 'pupil_order')} and o.id > ${firstCreated(c, 'pupil_order')}
        and (o.order_date between ${y.starts_on} and ${y.ends_on} or o.year_label = ${y.name}
          or o.year_label in (select k.year_label from pupil_order k where k.id in ${created(c, 'pupil_order')}))`,
  },
  { forms: ['урок', 'урока', 'уроков'], count: (c) => sql`select count(*) as n from lesson where class_id in ${nextClasses(c)}` },
  { forms: ['итоговая отметка', 'итоговые отметки', 'итоговых отметок'], count: (c) => sql`select count(*) as n from final_mark where year_id = ${c.nextYearId}` },
  { forms: ['решение о переводе', 'решения о переводе', 'решений о переводе'], count: (c) => sql`select count(*) as n from year_decision where year_id = ${c.nextYearId}` },
  {
    forms: ['запись в составе групп', 'записи в составе групп', 'записей в составе групп'],
    // In a group the close made, or a pupil the close moved into a next-year class.
    count: (c) => sql`select count(*) as n from group_member
      where group_id in (select id from study_group where class_id in ${madeClasses(c)})
        or (group_id in (select id from study_group where class_id in ${nextClasses(c)})
          and pupil_id in (select pupil_id from class_membership where id in ${created(c, 'class_membership')}))`,
  },
  {
    forms: ['том архива', 'тома архива', 'томов архива'],
    count: (c) => sql`select count(*) as n from archive_volume where year_id = ${c.nextYearId} or class_id in ${nextClasses(c)}`,
  },
  {
    forms: ['класс, добавленный после закрытия', 'класса, добавленных после закрытия', 'классов, добавленных после закрытия'],
    onlyCreatedYear: true,
    count: (c) => sql`select count(*) as n from school_class where year_id = ${c.nextYearId} and id not in ${created(c, 'school_class')}`,
  },
  {
    forms: ['строка учебного плана или группа, добавленная после закрытия', 'строки учебного плана или группы, добавленные после закрытия', 'строк учебного плана или групп, добавленных после закрытия'],
    count: (c) => sql`select (select count(*) from curriculum where class_id in ${madeClasses(c)} and id not in ${created(c, 'curriculum')})
      + (select count(*) from study_group where class_id in ${madeClasses(c)} and id not in ${created(c, 'study_group')}) as n`,
  },
  {
    forms: ['период или каникулы, добавленные после закрытия', 'периода или каникул, добавленных после закрытия', 'периодов или каникул, добавленных после закрытия'],
    onlyCreatedYear: true,
    count: (c) => sql`select (select count(*) from period where year_id = ${c.nextYearId} and id not in ${created(c, 'period')})
      + (select count(*) from holiday where year_id = ${c.nextYearId} and id not in ${created(c, 'holiday')}) as n`,
  },
  {
    forms: ['запись, созданная закрытием и удалённая после него', 'записи, созданные закрытием и удалённые после него', 'записей, созданных закрытием и удалённых после него'],
    count: (c) => sql`select count(*) as n from year_close_row r where r.year_id = ${c.yearId} and not exists (
      select 1 from school_class x where r.table_name = 'school_class' and x.id = r.row_id
      union all select 1 from curriculum x where r.table_name = 'curriculum' and x.id = r.row_id
      union all select 1 from study_group x where r.table_name = 'study_group' and x.id = r.row_id
      union all select 1 from period x where r.table_name = 'period' and x.id = r.row_id
      union all select 1 from holiday x where r.table_name = 'holiday' and x.id = r.row_id
      union all select 1 from school_year x where r.table_name = 'school_year' and x.id = r.row_id
      union all select 1 from pupil_order x where r.table_name = 'pupil_order' and x.id = r.row_id
      union all select 1 from movement_event x where r.table_name = 'movement_event' and x.id = r.row_id
      union all select 1 from class_membership x where r.table_name = 'class_membership' and x.id = r.row_id)`,
  },
  // Access codes the close revoked (graduates and their guardians): «reopen» makes them active
  // again only when nothing has happened to them since — otherwise it would overwrite a later
  // state, give a holder two working codes, or reopen access the family has since refused.
  {
    forms: ['код доступа, изменённый после закрытия', 'кода доступа, изменённых после закрытия', 'кодов доступа, изменённых после закрытия'],
    count: (c) => sql`select count(*) as n from year_close_code k
      join year_close y on y.year_id = k.year_id
      left join access_code a on a.id = k.code_id
      where k.year_id = ${c.yearId}
        and (a.id is null or a.status is not 'revoked' or a.revoked_at is not y.closed_at or a.revoke_reason is not ${CLOSE_REVOKE_REASON})`,
  },
  {
    forms: ['новый код доступа взамен отозванного при закрытии', 'новых кода доступа взамен отозванных при закрытии', 'новых кодов доступа взамен отозванных при закрытии'],
    // Each holder whose codes the close revoked had every active code revoked: an active one now is newer.
    count: (c) => sql`select count(distinct b.id) as n from year_close_code k
      join access_code a on a.id = k.code_id
      join access_code b on b.pupil_id = a.pupil_id and b.holder_kind = a.holder_kind and b.guardian_id is a.guardian_id
      where k.year_id = ${c.yearId} and b.status in ('new', 'issued')`,
  },
  {
    forms: [
      'код доступа, владелец которого после закрытия отказался от согласия',
      'кода доступа, владельцы которых после закрытия отказались от согласия',
      'кодов доступа, владельцы которых после закрытия отказались от согласия',
    ],
    // A refusal or withdrawal decided after the close would have revoked an active code
    // (main/consents/revoke.ts); making the code active again would undo it. Decisions from
    // before the close are not the close's business: the code was active with them.
    count: (c) => sql`select count(*) as n from year_close_code k
      join year_close y on y.year_id = k.year_id
      join access_code a on a.id = k.code_id
      where k.year_id = ${c.yearId} and (
        (a.holder_kind = 'pupil' and ${refusedSince(sql`s.subject_kind = 'pupil' and s.pupil_id = a.pupil_id and s.purpose = 'pupil_data'`)})
        or (a.holder_kind = 'guardian' and (${refusedSince(sql`s.guardian_id = a.guardian_id and s.purpose = 'electronic_results'`)}
          or ${refusedSince(sql`s.guardian_id = a.guardian_id and s.purpose = 'guardian_data'`)})))`,
  },
  {
    forms: ['изменение структуры года после закрытия', 'изменения структуры года после закрытия', 'изменений структуры года после закрытия'],
    // Edits in place (dates, a class teacher, hours) leave no new row: the audit log has them.
    count: (c) => sql`select count(*) as n from audit_log
      where method in (${sql.join(SETUP_METHODS)})
        and ((entity = 'school_class' and cast(entity_id as integer) in ${madeClasses(c)})
          or (${c.nextYearCreated ? 1 : 0} = 1 and entity = 'school_year' and entity_id = ${String(c.nextYearId)}))`,
  },
];

/** Every kind of dependent change with its count (only those present). */
export async function reopenDependencies(db: Db, close: CloseRecord): Promise<Dependency[]> {
  const next = await db.selectFrom('school_year').select(['name', 'starts_on', 'ends_on']).where('id', '=', close.nextYearId).executeTakeFirst();
  if (!next) return [];
  const found: Dependency[] = [];
  for (const check of CHECKS) {
    if (check.onlyCreatedYear && !close.nextYearCreated) continue;
    const row = (await check.count(close, next).execute(db)).rows[0];
    const count = Number(row?.n ?? 0);
    if (count > 0) found.push({ forms: check.forms, count });
  }
  return found;
}

/** «3 записи о движении и 120 уроков». */
export function dependencyList(found: readonly Dependency[]): string {
  const parts = found.map((d) => `${d.count} ${plural(d.count, d.forms)}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} и ${parts[parts.length - 1]}` : (parts[0] ?? '');
}
