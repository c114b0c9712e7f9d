import type { CalendarDraft, DraftClass, DraftPeriod } from '../api/year-draft-contract';
import type { YearStructure, YearSummary } from '../api/year-contract';
import { PERIOD_SCHEMES } from '../api/year-contract';
import { defaultPeriods, defaultYearDates, isRealDate, nextYearName, SCHEME_LABELS, shiftYears } from './year-calendar';

/**
 * The editable form of a year's structure (the renderer's «Учебный год» screens; here in common/
 * so that tests can hold it against the server's roll-forward). The same draft is filled by the «Открыть учебный
 * год» wizard (rolled forward from the previous year, or defaults) and by the editing panels of
 * an open year (from years.get); years.applyDraft writes it, in one transaction. Values stay strings while
 * edited; ids are null for rows the server does not know yet.
 */

export type Scheme = (typeof PERIOD_SCHEMES)[number];
export const SCHEMES: readonly Scheme[] = PERIOD_SCHEMES;
export { SCHEME_LABELS };
export const PERIOD_NAMES: Record<Scheme, string> = { quarters: 'четверть', halves: 'полугодие', trimesters: 'триместр' };

// The draft's rows: their types are the wire schema's (years.applyDraft receives them as they are).
export type {
  CalendarDraft,
  DraftClass,
  DraftClassPlan,
  DraftClassRow,
  DraftCurriculumRow,
  DraftGroup,
  DraftHoliday,
  DraftPeriod,
} from '../api/year-draft-contract';

export interface YearDraft {
  calendar: CalendarDraft;
  classes: DraftClass[];
}

let counter = 0;
/** A key for React lists and for errors of a row that has no id yet. */
export function newKey(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}`;
}

const idText = (id: number | null | undefined): string => (id == null ? '' : String(id));

/* ------------------------------------------------------------------ dates */

export { isRealDate };

/** «2026/2027» after the newest year; the year of today when there is none. */
export function nextName(years: readonly YearSummary[], today: string): string {
  const sorted = [...years].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  const next = sorted[0] ? nextYearName(sorted[0].name) : null;
  if (next) return next;
  const y = Number(today.slice(0, 4));
  const start = Number(today.slice(5, 7)) >= 6 ? y : y - 1;
  return `${start}/${start + 1}`;
}

/** The lead's default dates of a year «2026/2027»: 1 September 2026 – 31 May 2027. */
export function defaultDates(name: string): { startsOn: string; endsOn: string } {
  return defaultYearDates(name.trim()) ?? { startsOn: '', endsOn: '' };
}

/* ------------------------------------------------------------- from server */

export function calendarOf(s: YearStructure): CalendarDraft {
  return {
    startsOn: s.year.startsOn,
    endsOn: s.year.endsOn,
    periods: sortPeriods(
      s.periods.map((p) => ({ key: newKey('p'), id: p.id, scheme: p.scheme, number: p.number, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn })),
    ),
    holidays: s.holidays
      .map((h) => ({ key: newKey('h'), id: h.id, name: h.name, startsOn: h.startsOn, endsOn: h.endsOn }))
      .sort((a, b) => a.startsOn.localeCompare(b.startsOn)),
  };
}

export function sortPeriods(periods: DraftPeriod[]): DraftPeriod[] {
  return [...periods].sort((a, b) => SCHEMES.indexOf(a.scheme) - SCHEMES.indexOf(b.scheme) || a.number - b.number);
}

export function classesOf(s: YearStructure): DraftClass[] {
  return [...s.classes]
    .sort((a, b) => a.parallel - b.parallel || a.letter.localeCompare(b.letter, 'ru'))
    .map((c) => ({
      key: newKey('c'),
      id: c.id,
      parallel: String(c.parallel),
      letter: c.letter,
      periodScheme: c.periodScheme,
      classTeacherId: idText(c.classTeacherId),
      pupils: c.pupils,
      curriculum: s.curriculum
        .filter((r) => r.classId === c.id)
        .map((r) => ({ key: newKey('r'), subjectId: String(r.subjectId), hours: hoursText(r.hoursPerWeek), teacherId: idText(r.teacherId) })),
      groups: s.groups
        .filter((g) => g.classId === c.id)
        .map((g) => ({ key: newKey('g'), id: g.id, subjectId: String(g.subjectId), name: g.name, teacherId: idText(g.teacherId), pupilIds: [...g.pupilIds] })),
    }));
}

export function draftOf(s: YearStructure): YearDraft {
  return { calendar: calendarOf(s), classes: classesOf(s) };
}

/** 1.5 → «1,5» (the school writes hours with a comma). */
export function hoursText(hours: number): string {
  return String(hours).replace('.', ',');
}
export function parseHours(text: string): number | null {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() && Number.isFinite(n) ? n : null;
}

/* ------------------------------------------------------- a year from nothing */

/** Quarters for 1–9, halves for 10–11 (the usual Russian school). */
export function defaultScheme(parallel: number): Scheme {
  return parallel >= 10 ? 'halves' : 'quarters';
}

/** A year without a source: the default periods of both schemes (as the server makes them), no holidays. */
export function defaultCalendar(startsOn: string, endsOn: string): CalendarDraft {
  return {
    startsOn,
    endsOn,
    periods: defaultPeriods(startsOn, endsOn).map((p) => ({ ...p, key: newKey('p'), id: null })),
    holidays: [],
  };
}

/** Adds the periods of a scheme no class used so far (e.g. trimesters), split evenly by month. */
export function periodsForScheme(scheme: Scheme, calendar: CalendarDraft): DraftPeriod[] {
  const fallback = defaultCalendar(calendar.startsOn, calendar.endsOn).periods.filter((p) => p.scheme === scheme);
  if (fallback.length > 0) return fallback;
  const y = Number(calendar.startsOn.slice(0, 4));
  const n = y + 1;
  const ranges: [string, string][] = [
    [calendar.startsOn, `${y}-11-30`],
    [`${y}-12-01`, `${n}-02-28`],
    [`${n}-03-01`, calendar.endsOn],
  ];
  return ranges.map(([from, to], i) => ({ key: newKey('p'), id: null, scheme, number: i + 1, name: `${i + 1} ${PERIOD_NAMES[scheme]}`, startsOn: from, endsOn: to }));
}

export function emptyClass(parallel = '', letter = ''): DraftClass {
  const p = Number(parallel);
  return {
    key: newKey('c'),
    id: null,
    parallel,
    letter,
    periodScheme: defaultScheme(Number.isFinite(p) && p > 0 ? p : 1),
    classTeacherId: '',
    pupils: 0,
    curriculum: [],
    groups: [],
  };
}

/* --------------------------------------------------------------- roll-forward */

/**
 * What «Скопировать структуру из» will make of the source year — the server's years.open rules
 * (main/year/open.ts), shown before anything is written: class (P, L) becomes (P+1, L) with its
 * scheme and class teacher (a teacher who has left is not carried), 11th classes leave, new 1st
 * classes get the letters and schemes of the old 1st classes; the curriculum and groups of a new
 * (P, L) come from the old (P, L), else from any old class of parallel P, groups without pupils;
 * periods and holidays a year later, periods kept inside the new year's dates.
 */
export function rollForward(source: YearStructure, startsOn: string, endsOn: string, activeStaff: ReadonlySet<number>): YearDraft {
  const old = classesOf(source);
  const keep = (id: string) => (id && activeStaff.has(Number(id)) ? id : '');
  const planFrom = (parallel: number, letter: string): DraftClass | undefined =>
    old.find((c) => Number(c.parallel) === parallel && c.letter === letter) ?? old.find((c) => Number(c.parallel) === parallel);
  const make = (parallel: number, letter: string, scheme: Scheme, teacherId: string): DraftClass => {
    const plan = planFrom(parallel, letter);
    return {
      ...emptyClass(String(parallel), letter),
      periodScheme: scheme,
      classTeacherId: keep(teacherId),
      curriculum: (plan?.curriculum ?? []).map((r) => ({ ...r, key: newKey('r'), teacherId: keep(r.teacherId) })),
      groups: (plan?.groups ?? []).map((g) => ({ ...g, key: newKey('g'), id: null, teacherId: keep(g.teacherId), pupilIds: [] })),
    };
  };
  const firsts = old.filter((c) => Number(c.parallel) === 1).map((c) => make(1, c.letter, c.periodScheme, ''));
  const moved = old.filter((c) => Number(c.parallel) <= 10).map((c) => make(Number(c.parallel) + 1, c.letter, c.periodScheme, c.classTeacherId));
  const calendar = calendarOf(source);
  const clamp = (d: string) => (d < startsOn ? startsOn : d > endsOn ? endsOn : d);
  return {
    calendar: {
      startsOn,
      endsOn,
      periods: calendar.periods.map((p) => ({ ...p, id: null, startsOn: clamp(shiftYears(p.startsOn, 1)), endsOn: clamp(shiftYears(p.endsOn, 1)) })),
      holidays: calendar.holidays.map((h) => ({ ...h, id: null, startsOn: shiftYears(h.startsOn, 1), endsOn: shiftYears(h.endsOn, 1) })),
    },
    classes: [...firsts, ...moved].sort((a, b) => Number(a.parallel) - Number(b.parallel) || a.letter.localeCompare(b.letter, 'ru')),
  };
}

/** «6А», or «?» while the row is half typed. */
export function draftLabel(c: Pick<DraftClass, 'parallel' | 'letter'>): string {
  return `${c.parallel.trim() || '?'}${c.letter.trim().toUpperCase() || ''}`;
}

/** The schemes the classes use, in the usual order (their periods are shown and saved). */
export function usedSchemes(classes: readonly DraftClass[], periods: readonly DraftPeriod[]): Scheme[] {
  return SCHEMES.filter((s) => classes.some((c) => c.periodScheme === s) || periods.some((p) => p.scheme === s));
}
