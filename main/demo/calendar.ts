import { ApiError } from '../../common/api/errors';

/**
 * Dates of a school year computed for any 'YYYY/YYYY+1', after the federal calendar (ФОП):
 * the year starts on 1 September (2 September when the 1st is a Sunday) and ends on 26 May;
 * autumn and spring holidays are 9 days (Saturday to the Sunday after next), winter holidays
 * run from the last Saturday before New Year to the Sunday on or after 8 January, and 1st
 * classes get 9 extra days in the middle of February. Quarters are cut by the holidays; halves
 * are quarters 1–2 and 3–4.
 *
 * Days are whole numbers of days since 1970-01-01 (UTC), so there is no time zone to shift.
 */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export function dayOf(year: number, month: number, date: number): Day {
  return Math.round(Date.UTC(year, month - 1, date) / MS_PER_DAY);
}

export function parseDay(iso: string): Day {
  const [y, m, d] = iso.split('-').map(Number);
  return dayOf(y ?? 1970, m ?? 1, d ?? 1);
}

export function isoDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 'dd.mm.yyyy', as Russian documents write dates. */
export function ruDate(day: Day): string {
  const iso = isoDay(day);
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(day: Day): number {
  // 1970-01-01 was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function monthOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCMonth() + 1;
}

/** The same calendar date `years` later (29 February becomes 28 February). */
export function addYears(day: Day, years: number): Day {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear() + years;
  const m = d.getUTCMonth() + 1;
  const date = Math.min(d.getUTCDate(), m === 2 && !isLeap(y) ? 28 : 31);
  return dayOf(y, m, date);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whole years of age on a day. */
export function ageOn(birth: Day, on: Day): number {
  const b = new Date(birth * MS_PER_DAY);
  const o = new Date(on * MS_PER_DAY);
  let age = o.getUTCFullYear() - b.getUTCFullYear();
  if (o.getUTCMonth() < b.getUTCMonth() || (o.getUTCMonth() === b.getUTCMonth() && o.getUTCDate() < b.getUTCDate())) age -= 1;
  return age;
}

export function isWeekend(day: Day): boolean {
  return weekday(day) >= 6;
}

function saturdayOnOrAfter(day: Day): Day {
  return day + ((6 - weekday(day) + 7) % 7);
}

function sundayOnOrAfter(day: Day): Day {
  return day + ((7 - weekday(day) + 7) % 7);
}

/** The working day on or after `day` (Mon–Fri). */
export function workdayOnOrAfter(day: Day): Day {
  let d = day;
  while (isWeekend(d)) d += 1;
  return d;
}

/** The school-year label an order of that date is numbered in: September–August. */
export function schoolYearLabelOf(day: Day): string {
  const y = yearOf(day);
  const first = monthOf(day) >= 9 ? y : y - 1;
  return `${first}/${first + 1}`;
}

export interface CalendarPeriod {
  scheme: 'quarters' | 'halves';
  number: number;
  name: string;
  startsOn: Day;
  endsOn: Day;
}

export interface CalendarHoliday {
  name: string;
  startsOn: Day;
  endsOn: Day;
  /** The extra February holidays apply to 1st classes only. */
  firstClassOnly: boolean;
}

export interface SchoolCalendar {
  label: string;
  firstYear: number;
  startsOn: Day;
  endsOn: Day;
  quarters: CalendarPeriod[];
  halves: CalendarPeriod[];
  holidays: CalendarHoliday[];
  /** Weekday public holidays (and the Mondays they move to) within the year. */
  publicHolidays: Day[];
  /** School days (Mon–Fri, not in holidays nor public holidays), ascending. */
  schoolDays(firstClass: boolean): Day[];
  /** The index of the period of the scheme that holds the day, or -1. */
  periodIndex(scheme: 'quarters' | 'halves', day: Day): number;
}

/** Parses '2025/2026'; the second year must follow the first. */
export function parseSchoolYear(label: string): number {
  const match = /^(\d{4})\/(\d{4})$/.exec(label);
  const first = Number(match?.[1]);
  const second = Number(match?.[2]);
  if (!match || second !== first + 1 || first < 2000 || first > 2100) {
    throw new ApiError('invalid_params', 'Учебный год укажите в виде «2025/2026»: второй год на единицу больше первого.', {
      year: 'учебный год в виде 2025/2026',
    });
  }
  return first;
}

export function buildCalendar(label: string): SchoolCalendar {
  const y = parseSchoolYear(label);
  const september1 = dayOf(y, 9, 1);
  const startsOn = weekday(september1) === 7 ? september1 + 1 : september1;
  const endsOn = dayOf(y + 1, 5, 26);

  const autumnStart = saturdayOnOrAfter(dayOf(y, 10, 24));
  const autumn: CalendarHoliday = { name: 'Осенние каникулы', startsOn: autumnStart, endsOn: autumnStart + 8, firstClassOnly: false };
  const winterStart = saturdayOnOrAfter(dayOf(y, 12, 24));
  const winter: CalendarHoliday = {
    name: 'Зимние каникулы',
    startsOn: winterStart,
    endsOn: sundayOnOrAfter(dayOf(y + 1, 1, 8)),
    firstClassOnly: false,
  };
  const extraStart = saturdayOnOrAfter(dayOf(y + 1, 2, 14));
  const extra: CalendarHoliday = {
    name: 'Дополнительные каникулы для 1 классов',
    startsOn: extraStart,
    endsOn: extraStart + 8,
    firstClassOnly: true,
  };
  const springStart = saturdayOnOrAfter(dayOf(y + 1, 3, 21));
  const spring: CalendarHoliday = { name: 'Весенние каникулы', startsOn: springStart, endsOn: springStart + 8, firstClassOnly: false };

  const quarters: CalendarPeriod[] = [
    { scheme: 'quarters', number: 1, name: '1 четверть', startsOn, endsOn: autumn.startsOn - 1 },
    { scheme: 'quarters', number: 2, name: '2 четверть', startsOn: autumn.endsOn + 1, endsOn: winter.startsOn - 1 },
    { scheme: 'quarters', number: 3, name: '3 четверть', startsOn: winter.endsOn + 1, endsOn: spring.startsOn - 1 },
    { scheme: 'quarters', number: 4, name: '4 четверть', startsOn: spring.endsOn + 1, endsOn },
  ];
  const q = (i: number): CalendarPeriod => quarters[i] as CalendarPeriod;
  const halves: CalendarPeriod[] = [
    { scheme: 'halves', number: 1, name: '1 полугодие', startsOn, endsOn: q(1).endsOn },
    { scheme: 'halves', number: 2, name: '2 полугодие', startsOn: q(2).startsOn, endsOn },
  ];
  const holidays = [autumn, winter, extra, spring];

  // Fixed public holidays that fall inside term; one on a weekend moves to the next Monday
  // (the yearly government decree may move days differently; this is the usual outcome).
  const fixed = [dayOf(y, 11, 4), dayOf(y + 1, 2, 23), dayOf(y + 1, 3, 8), dayOf(y + 1, 5, 1), dayOf(y + 1, 5, 9)];
  const publicHolidays = fixed.map((d) => (isWeekend(d) ? d + (8 - weekday(d)) : d)).sort((a, b) => a - b);
  const publicSet = new Set(publicHolidays);

  const cache = new Map<boolean, Day[]>();
  const schoolDays = (firstClass: boolean): Day[] => {
    const cached = cache.get(firstClass);
    if (cached) return cached;
    const days: Day[] = [];
    for (let d = startsOn; d <= endsOn; d += 1) {
      if (isWeekend(d) || publicSet.has(d)) continue;
      if (holidays.some((h) => (firstClass || !h.firstClassOnly) && d >= h.startsOn && d <= h.endsOn)) continue;
      days.push(d);
    }
    cache.set(firstClass, days);
    return days;
  };

  return {
    label,
    firstYear: y,
    startsOn,
    endsOn,
    quarters,
    halves,
    holidays,
    publicHolidays,
    schoolDays,
    periodIndex(scheme, day) {
      const list = scheme === 'quarters' ? quarters : halves;
      return list.findIndex((p) => day >= p.startsOn && day <= p.endsOn);
    },
  };
}
