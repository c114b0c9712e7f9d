import { yearMethods } from '../../../../common/api/year-contract';
import { checkClassTeachers, checkPeriodsAndHolidays, checkYearDates, type YearDates } from '../../../../common/domain/year-calendar';
import { calendarParams, curriculumParams } from './commit';
import { draftLabel, type CalendarDraft, type DraftClass } from './draft';

/**
 * Instant checks while the administrator types: the same rules the server applies, from the
 * shared module (common/domain/year-calendar.ts) and the contract's own schemas, so the words on
 * the screen are the words of a refusal. Field keys as in commit.ts.
 */

export type Problems = Record<string, string>;

const put = (into: Problems, key: string, message: string) => {
  into[key] ??= message;
};

/** The year's name and dates against the other years. */
export function yearProblems(year: YearDates, others: readonly YearDates[]): Problems {
  const found: Problems = {};
  for (const p of checkYearDates(year, others)) put(found, p.field, p.message);
  return found;
}

/** Periods and holidays (fields `periods.2.endsOn`, `holidays.0.name`); the year's own dates too when `withYear`. */
export function calendarProblems(calendar: CalendarDraft, withYear?: { name: string; others: readonly YearDates[] }): Problems {
  const found: Problems = {};
  if (withYear) {
    const year = yearProblems({ name: withYear.name, startsOn: calendar.startsOn, endsOn: calendar.endsOn }, withYear.others);
    delete year.name;
    Object.assign(found, year);
    if (found.startsOn || found.endsOn) return found;
  }
  const params = calendarParams(1, calendar, null);
  for (const p of checkPeriodsAndHolidays(calendar, params.periods, params.holidays)) put(found, p.field, p.message);
  return found;
}

const classSchema = yearMethods['classes.save'].params;

/** Each class row by the contract (parallel, letter), and one class per class teacher. */
export function classProblems(classes: readonly DraftClass[]): Problems {
  const found: Problems = {};
  classes.forEach((c, i) => {
    if (!c.parallel.trim()) put(found, `classes.${c.key}.parallel`, 'укажите параллель от 1 до 11');
    const parsed = classSchema.safeParse({
      yearId: 1,
      parallel: Number(c.parallel),
      letter: c.letter,
      periodScheme: c.periodScheme,
      classTeacherId: c.classTeacherId ? Number(c.classTeacherId) : null,
    });
    if (!parsed.success) for (const issue of parsed.error.issues) put(found, `classes.${c.key}.${String(issue.path[0] ?? 'letter')}`, issue.message);
    // The shared rule reports the second class of a teacher: find which row added the problem.
    const rows = classes.slice(0, i + 1).map((x) => ({ label: draftLabel(x), classTeacherId: x.classTeacherId ? Number(x.classTeacherId) : null }));
    const before = checkClassTeachers(rows.slice(0, i)).length;
    const now = checkClassTeachers(rows);
    if (now.length > before) put(found, `classes.${c.key}.classTeacherId`, now[now.length - 1]!.message);
    const same = classes.findIndex((x, j) => j < i && x.parallel.trim() === c.parallel.trim() && x.letter.trim().toUpperCase() === c.letter.trim().toUpperCase());
    if (same >= 0 && c.parallel.trim() && c.letter.trim()) put(found, `classes.${c.key}.letter`, `класс ${draftLabel(c)} уже есть в списке — выберите другую литеру`);
  });
  return found;
}

const curriculumSchema = yearMethods['curriculum.save'].params;

/** The curriculum and groups of one class by the contract (hours, names); an empty subject asks to choose. */
export function curriculumProblems(c: DraftClass): Problems {
  const found: Problems = {};
  const prefix = `curriculum.${c.key}`;
  c.curriculum.forEach((r, i) => {
    if (!r.subjectId) put(found, `${prefix}.rows.${i}.subjectId`, 'выберите предмет');
    if (!r.hours.trim()) put(found, `${prefix}.rows.${i}.hoursPerWeek`, 'укажите часы в неделю, например 4 или 0,5');
  });
  c.groups.forEach((g, i) => {
    if (!g.subjectId) put(found, `${prefix}.groups.${i}.subjectId`, 'выберите предмет');
  });
  const parsed = curriculumSchema.safeParse(curriculumParams(1, c, null));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      const message = /hoursPerWeek$/.test(key) && issue.code === 'invalid_type' ? 'часы в неделю — число, например 4 или 0,5' : issue.message;
      put(found, `${prefix}.${key}`, message);
    }
  }
  return found;
}

/** Problems of the whole class list's curricula. */
export function allCurriculumProblems(classes: readonly DraftClass[]): Problems {
  return Object.assign({}, ...classes.map(curriculumProblems)) as Problems;
}
