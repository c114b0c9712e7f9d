import type { Db } from '../../../db/connection';
import type { MissedCounts } from '../../../templates/journal/types';
import type { RosterPupil } from './roster';

/**
 * Missed lessons of a class's pupils, counted from the attendance marks of the class's lessons:
 * Н (without a valid reason), Б (illness) and У (a valid reason) are missed lessons; О (late) is
 * counted apart and is not a missed lesson.
 */

export interface AbsenceRow {
  pupilId: number;
  date: string;
  code: string;
}

/** All attendance marks of the class's lessons (one query). */
export async function loadAbsences(db: Db, classId: number): Promise<AbsenceRow[]> {
  const rows = await db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .select(['a.pupil_id', 'l.lesson_date', 'a.code'])
    .where('l.class_id', '=', classId)
    .execute();
  return rows.map((r) => ({ pupilId: r.pupil_id, date: r.lesson_date, code: r.code }));
}

export function noAbsences(): MissedCounts {
  return { missed: 0, sick: 0, excused: 0, unexcused: 0, late: 0 };
}

export function addAbsence(c: MissedCounts, code: string): void {
  if (code === 'О') {
    c.late += 1;
    return;
  }
  c.missed += 1;
  if (code === 'Б') c.sick += 1;
  else if (code === 'У') c.excused += 1;
  else c.unexcused += 1;
}

export interface AbsenceTotals {
  /** [pupil][span]. */
  bySpan: MissedCounts[][];
  year: MissedCounts[];
  classBySpan: MissedCounts[];
  classYear: MissedCounts;
}

/**
 * Counts per pupil of the roster and per span (`spanOf(date)` → index, or -1 for a day outside
 * every span: counted in the year only), with the class's totals.
 */
export function countAbsences(rows: readonly AbsenceRow[], roster: readonly RosterPupil[], spans: number, spanOf: (date: string) => number): AbsenceTotals {
  const rowOf = new Map(roster.map((p, i) => [p.id, i]));
  const bySpan = roster.map(() => Array.from({ length: spans }, noAbsences));
  const year = roster.map(noAbsences);
  const classBySpan = Array.from({ length: spans }, noAbsences);
  const classYear = noAbsences();
  for (const r of rows) {
    const row = rowOf.get(r.pupilId);
    if (row === undefined) continue;
    const span = spanOf(r.date);
    addAbsence(year[row]!, r.code);
    addAbsence(classYear, r.code);
    if (span >= 0 && span < spans) {
      addAbsence(bySpan[row]![span]!, r.code);
      addAbsence(classBySpan[span]!, r.code);
    }
  }
  return { bySpan, year, classBySpan, classYear };
}
