/**
 * Pure checks of a school year's calendar (issue 6, set-up): the name against the dates, the
 * year against the other years, periods and holidays against the year and each other. Shared by
 * the server (which refuses) and the set-up wizard (which shows the same words at once).
 *
 * Every problem names its field the way the API reports it (`periods.1.startsOn`) and says, in
 * Russian, which row and what is wrong: «Период 2 (четверти): …».
 */

export type PeriodScheme = 'quarters' | 'halves' | 'trimesters';

export interface CalendarPeriod {
  scheme: PeriodScheme;
  number: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface CalendarHoliday {
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface YearDates {
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface CalendarProblem {
  /** The API field: `name`, `startsOn`, `periods.1.endsOn`, `holidays.0`. */
  field: string;
  message: string;
}

/** «четверти», as a row label's scheme: «Период 2 (четверти)». */
export const SCHEME_LABELS: Record<PeriodScheme, string> = {
  quarters: 'четверти',
  halves: 'полугодия',
  trimesters: 'триместры',
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in 'YYYY-MM-DD' (not 2026-02-30). */
export function isRealDate(iso: string): boolean {
  const m = ISO_DATE.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === iso;
}

/** «01.09.2026». */
function ru(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** The same calendar date `years` later; 29 February becomes 28 February. */
export function shiftYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const m = Number(iso.slice(5, 7));
  let d = Number(iso.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m === 2 && d === 29 && !leap) d = 28;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** «2025/2026» → «2026/2027»; null when the name is not of that form. */
export function nextYearName(name: string): string | null {
  const m = /^(\d{4})\/(\d{4})$/.exec(name);
  if (!m) return null;
  return `${Number(m[1]) + 1}/${Number(m[2]) + 1}`;
}

/** The lead's default dates of a year named «2026/2027»: 1 September 2026 to 31 May 2027. */
export function defaultYearDates(name: string): { startsOn: string; endsOn: string } | null {
  const m = /^(\d{4})\/(\d{4})$/.exec(name);
  if (!m) return null;
  return { startsOn: `${m[1]}-09-01`, endsOn: `${m[2]}-05-31` };
}

/**
 * Default periods of a new year without a source: four quarters and two halves that cover the
 * year without gaps (there are no holidays yet to cut them; the administrator adjusts them).
 * Quarters end on 31 October, 31 December and 31 March; halves on 31 December.
 */
export function defaultPeriods(startsOn: string, endsOn: string): CalendarPeriod[] {
  const first = Number(startsOn.slice(0, 4));
  let cuts = [`${first}-10-31`, `${first}-12-31`, `${first + 1}-03-31`];
  if (!cuts.every((c) => c > startsOn && c < endsOn)) {
    // An unusual year (a short or shifted one): split it into equal parts instead.
    const span = Math.round((Date.parse(endsOn) - Date.parse(startsOn)) / 86_400_000) + 1;
    cuts = [1, 2, 3].map((i) => addDays(startsOn, Math.floor((span * i) / 4) - 1));
  }
  const [c1, c2, c3] = cuts as [string, string, string];
  return [
    { scheme: 'quarters', number: 1, name: '1 четверть', startsOn, endsOn: c1 },
    { scheme: 'quarters', number: 2, name: '2 четверть', startsOn: addDays(c1, 1), endsOn: c2 },
    { scheme: 'quarters', number: 3, name: '3 четверть', startsOn: addDays(c2, 1), endsOn: c3 },
    { scheme: 'quarters', number: 4, name: '4 четверть', startsOn: addDays(c3, 1), endsOn },
    { scheme: 'halves', number: 1, name: '1 полугодие', startsOn, endsOn: c2 },
    { scheme: 'halves', number: 2, name: '2 полугодие', startsOn: addDays(c2, 1), endsOn },
  ];
}

/**
 * Holidays for 1st classes only (the extra February week) lie inside the 3rd quarter of the
 * other classes by design; the holiday table has no audience column, so the name tells.
 */
export function isFirstClassHoliday(name: string): boolean {
  return /перв(ых|ого|ые|ый)?\s*класс|первоклассник|\b1[-\s]*(х\s*)?класс/i.test(name);
}

function overlaps(a: { startsOn: string; endsOn: string }, b: { startsOn: string; endsOn: string }): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** The name «2026/2027» against the dates: the year starts in 2026 and ends in 2027. */
export function checkYearDates(year: YearDates, otherYears: readonly YearDates[] = []): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const m = /^(\d{4})\/(\d{4})$/.exec(year.name);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) {
    problems.push({ field: 'name', message: `Название года «${year.name}»: укажите его в виде 2026/2027 — второй год на единицу больше первого` });
  }
  const startOk = isRealDate(year.startsOn);
  const endOk = isRealDate(year.endsOn);
  if (!startOk) problems.push({ field: 'startsOn', message: `Начало года: «${year.startsOn}» — не дата; укажите ГГГГ-ММ-ДД` });
  if (!endOk) problems.push({ field: 'endsOn', message: `Конец года: «${year.endsOn}» — не дата; укажите ГГГГ-ММ-ДД` });
  if (!startOk || !endOk) return problems;
  if (year.endsOn <= year.startsOn) {
    problems.push({ field: 'endsOn', message: `Конец года (${ru(year.endsOn)}) должен быть позже начала (${ru(year.startsOn)})` });
    return problems;
  }
  if (m && problems.length === 0) {
    if (year.startsOn.slice(0, 4) !== m[1]) {
      problems.push({ field: 'startsOn', message: `Начало года: учебный год ${year.name} начинается в ${m[1]} году, а указано ${ru(year.startsOn)}` });
    }
    if (year.endsOn.slice(0, 4) !== m[2]) {
      problems.push({ field: 'endsOn', message: `Конец года: учебный год ${year.name} заканчивается в ${m[2]} году, а указано ${ru(year.endsOn)}` });
    }
  }
  for (const other of otherYears) {
    if (other.name === year.name) {
      problems.push({ field: 'name', message: `Название года: учебный год ${year.name} уже есть — выберите его в списке` });
    } else if (overlaps(year, other)) {
      problems.push({
        field: 'startsOn',
        message: `Даты года: ${ru(year.startsOn)}–${ru(year.endsOn)} пересекаются с учебным годом ${other.name} (${ru(other.startsOn)}–${ru(other.endsOn)}); сдвиньте даты`,
      });
    }
  }
  return problems;
}

function periodLabel(p: CalendarPeriod): string {
  return `Период ${p.number} (${SCHEME_LABELS[p.scheme] ?? p.scheme})`;
}

function holidayLabel(h: CalendarHoliday, index: number): string {
  return `Каникулы ${index + 1} («${h.name}»)`;
}

/**
 * Periods and holidays of a year whose own dates are valid: each row has real dates in order and
 * lies inside the year; periods of one scheme have distinct numbers and do not overlap; holidays
 * do not overlap each other nor a period of quarters or trimesters (halves contain the autumn
 * and spring holidays, so they are exempt; so are holidays for 1st classes only).
 */
export function checkPeriodsAndHolidays(
  year: { startsOn: string; endsOn: string },
  periods: readonly CalendarPeriod[],
  holidays: readonly CalendarHoliday[],
): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const datedRow = (row: { startsOn: string; endsOn: string }, field: string, label: string): boolean => {
    if (!isRealDate(row.startsOn)) {
      problems.push({ field: `${field}.startsOn`, message: `${label}: начало «${row.startsOn}» — не дата; укажите ГГГГ-ММ-ДД` });
      return false;
    }
    if (!isRealDate(row.endsOn)) {
      problems.push({ field: `${field}.endsOn`, message: `${label}: конец «${row.endsOn}» — не дата; укажите ГГГГ-ММ-ДД` });
      return false;
    }
    if (row.endsOn < row.startsOn) {
      problems.push({ field: `${field}.endsOn`, message: `${label}: конец (${ru(row.endsOn)}) раньше начала (${ru(row.startsOn)})` });
      return false;
    }
    if (row.startsOn < year.startsOn) {
      problems.push({ field: `${field}.startsOn`, message: `${label}: начало ${ru(row.startsOn)} раньше начала учебного года (${ru(year.startsOn)})` });
      return false;
    }
    if (row.endsOn > year.endsOn) {
      problems.push({ field: `${field}.endsOn`, message: `${label}: конец ${ru(row.endsOn)} позже конца учебного года (${ru(year.endsOn)})` });
      return false;
    }
    return true;
  };

  const goodPeriods: { p: CalendarPeriod; i: number }[] = [];
  periods.forEach((p, i) => {
    const label = periodLabel(p);
    if (!p.name.trim()) problems.push({ field: `periods.${i}.name`, message: `${label}: укажите название периода` });
    const dup = periods.findIndex((q, j) => j < i && q.scheme === p.scheme && q.number === p.number);
    if (dup >= 0) {
      problems.push({ field: `periods.${i}.number`, message: `${label}: такой номер уже есть у строки ${dup + 1}; номера периодов одной схемы не повторяются` });
    }
    if (datedRow(p, `periods.${i}`, label)) goodPeriods.push({ p, i });
  });
  for (const { p, i } of goodPeriods) {
    const clash = goodPeriods.find(({ p: q, i: j }) => j < i && q.scheme === p.scheme && overlaps(p, q));
    if (clash) {
      problems.push({
        field: `periods.${i}.startsOn`,
        message: `${periodLabel(p)}: ${ru(p.startsOn)}–${ru(p.endsOn)} пересекается с периодом ${clash.p.number} (${ru(clash.p.startsOn)}–${ru(clash.p.endsOn)})`,
      });
    }
  }

  const goodHolidays: { h: CalendarHoliday; i: number }[] = [];
  holidays.forEach((h, i) => {
    const label = holidayLabel(h, i);
    if (!h.name.trim()) problems.push({ field: `holidays.${i}.name`, message: `Каникулы ${i + 1}: укажите название` });
    if (datedRow(h, `holidays.${i}`, label)) goodHolidays.push({ h, i });
  });
  for (const { h, i } of goodHolidays) {
    const label = holidayLabel(h, i);
    const clash = goodHolidays.find(({ h: o, i: j }) => j < i && overlaps(h, o));
    if (clash) {
      problems.push({
        field: `holidays.${i}.startsOn`,
        message: `${label}: ${ru(h.startsOn)}–${ru(h.endsOn)} пересекаются с каникулами ${clash.i + 1} («${clash.h.name}»)`,
      });
      continue;
    }
    if (isFirstClassHoliday(h.name)) continue;
    const inTerm = goodPeriods.find(({ p }) => p.scheme !== 'halves' && overlaps(h, p));
    if (inTerm) {
      problems.push({
        field: `holidays.${i}.startsOn`,
        message: `${label}: ${ru(h.startsOn)}–${ru(h.endsOn)} попадают на ${periodLabel(inTerm.p).toLowerCase()} (${ru(inTerm.p.startsOn)}–${ru(inTerm.p.endsOn)}); каникулы должны быть между периодами`,
      });
    }
  }
  return problems;
}

/** A whole calendar: the year (against the others), its periods and its holidays. */
export function checkCalendar(
  year: YearDates,
  periods: readonly CalendarPeriod[],
  holidays: readonly CalendarHoliday[],
  otherYears: readonly YearDates[] = [],
): CalendarProblem[] {
  const yearProblems = checkYearDates(year, otherYears);
  // Rows are measured against the year's dates; with broken dates that would only add noise.
  if (yearProblems.some((p) => p.field === 'startsOn' || p.field === 'endsOn')) return yearProblems;
  return [...yearProblems, ...checkPeriodsAndHolidays(year, periods, holidays)];
}

export interface ClassTeacherRow {
  label: string;
  classTeacherId: number | null;
}

/** A teacher is the class teacher of at most one class in a year. */
export function checkClassTeachers(classes: readonly ClassTeacherRow[]): CalendarProblem[] {
  const seen = new Map<number, string>();
  const problems: CalendarProblem[] = [];
  for (const c of classes) {
    if (c.classTeacherId === null) continue;
    const other = seen.get(c.classTeacherId);
    if (other) {
      problems.push({
        field: 'classTeacherId',
        message: `Классный руководитель ${c.label}: этот сотрудник уже классный руководитель ${other}; у учителя может быть только один класс в году`,
      });
    } else {
      seen.set(c.classTeacherId, c.label);
    }
  }
  return problems;
}
