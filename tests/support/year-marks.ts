import type BetterSqlite3 from 'better-sqlite3';

/**
 * The demo school leaves a few year marks out (a pupil with no marks in a subject over the
 * year). Tests of the year close need complete marks: this fills every missing year mark of a
 * pupil in a class of the year on its last day with «4» — straight in the database, because the
 * test is about the close, not about entering marks. Returns how many marks it added.
 */
export function completeYearMarks(raw: BetterSqlite3.Database, yearName: string): number {
  const info = raw
    .prepare(
      `insert into final_mark (pupil_id, subject_id, year_id, period_id, kind, value)
       select distinct m.pupil_id, k.subject_id, y.id, null, 'year', '4'
         from school_year y
         join school_class c on c.year_id = y.id
         join class_membership m on m.class_id = c.id
         join curriculum k on k.class_id = c.id
        where y.name = ? and c.parallel > 1
          and m.from_date <= y.ends_on and (m.to_date is null or m.to_date >= y.ends_on)
          and not exists (select 1 from final_mark f
                           where f.pupil_id = m.pupil_id and f.subject_id = k.subject_id and f.year_id = y.id and f.kind = 'year')`,
    )
    .run(yearName);
  return info.changes;
}
