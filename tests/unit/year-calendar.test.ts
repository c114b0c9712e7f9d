import { describe, expect, it } from 'vitest';
import {
  checkCalendar,
  checkClassTeachers,
  checkPeriodsAndHolidays,
  checkYearDates,
  defaultPeriods,
  defaultYearDates,
  isFirstClassHoliday,
  isRealDate,
  nextYearName,
  shiftYears,
  type CalendarHoliday,
  type CalendarPeriod,
} from '../../common/domain/year-calendar';

const YEAR = { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31' };
const quarters: CalendarPeriod[] = [
  { scheme: 'quarters', number: 1, name: '1 четверть', startsOn: '2026-09-01', endsOn: '2026-10-23' },
  { scheme: 'quarters', number: 2, name: '2 четверть', startsOn: '2026-11-02', endsOn: '2026-12-26' },
  { scheme: 'quarters', number: 3, name: '3 четверть', startsOn: '2027-01-11', endsOn: '2027-03-19' },
  { scheme: 'quarters', number: 4, name: '4 четверть', startsOn: '2027-03-29', endsOn: '2027-05-26' },
];
const halves: CalendarPeriod[] = [
  { scheme: 'halves', number: 1, name: '1 полугодие', startsOn: '2026-09-01', endsOn: '2026-12-26' },
  { scheme: 'halves', number: 2, name: '2 полугодие', startsOn: '2027-01-11', endsOn: '2027-05-26' },
];
const holidays: CalendarHoliday[] = [
  { name: 'Осенние каникулы', startsOn: '2026-10-24', endsOn: '2026-11-01' },
  { name: 'Зимние каникулы', startsOn: '2026-12-27', endsOn: '2027-01-10' },
  { name: 'Дополнительные каникулы для 1 классов', startsOn: '2027-02-13', endsOn: '2027-02-21' },
  { name: 'Весенние каникулы', startsOn: '2027-03-20', endsOn: '2027-03-28' },
];

describe('year name and dates', () => {
  it('accepts a year named after its dates', () => {
    expect(checkYearDates(YEAR)).toEqual([]);
  });

  it('names the field when the name and dates disagree', () => {
    expect(checkYearDates({ ...YEAR, startsOn: '2027-09-01', endsOn: '2028-05-31' })).toEqual([
      { field: 'startsOn', message: expect.stringContaining('начинается в 2026 году') as string },
      { field: 'endsOn', message: expect.stringContaining('заканчивается в 2027 году') as string },
    ]);
    expect(checkYearDates({ ...YEAR, name: '2026/2028' })[0]).toMatchObject({ field: 'name' });
    expect(checkYearDates({ ...YEAR, endsOn: '2026-08-01' })[0]).toMatchObject({ field: 'endsOn', message: expect.stringContaining('позже начала') as string });
    expect(checkYearDates({ ...YEAR, startsOn: '2026-02-30' })[0]).toMatchObject({ field: 'startsOn', message: expect.stringContaining('не дата') as string });
  });

  it('refuses a year overlapping another or repeating its name', () => {
    const other = { name: '2025/2026', startsOn: '2025-09-01', endsOn: '2026-09-05' };
    expect(checkYearDates(YEAR, [other])[0]).toMatchObject({ field: 'startsOn', message: expect.stringContaining('пересекаются с учебным годом 2025/2026') as string });
    expect(checkYearDates(YEAR, [{ ...other, endsOn: '2026-05-31' }])).toEqual([]);
    expect(checkYearDates(YEAR, [{ ...YEAR }])[0]).toMatchObject({ field: 'name' });
  });

  it('computes the next year, its default dates and real dates', () => {
    expect(nextYearName('2025/2026')).toBe('2026/2027');
    expect(nextYearName('2025')).toBeNull();
    expect(defaultYearDates('2026/2027')).toEqual({ startsOn: '2026-09-01', endsOn: '2027-05-31' });
    expect(shiftYears('2027-02-28', 1)).toBe('2028-02-28');
    expect(shiftYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(isRealDate('2027-02-29')).toBe(false);
    expect(isRealDate('2028-02-29')).toBe(true);
  });
});

describe('periods and holidays', () => {
  it('accepts a normal calendar: holidays between quarters, inside halves, 1st-class holidays inside a quarter', () => {
    expect(checkCalendar(YEAR, [...quarters, ...halves], holidays)).toEqual([]);
    expect(isFirstClassHoliday('Дополнительные каникулы для первоклассников')).toBe(true);
    expect(isFirstClassHoliday('Весенние каникулы')).toBe(false);
  });

  it('names the row of a period outside the year or overlapping another of its scheme', () => {
    const late = quarters.map((p) => (p.number === 4 ? { ...p, endsOn: '2027-06-10' } : p));
    expect(checkPeriodsAndHolidays(YEAR, late, [])).toEqual([
      { field: 'periods.3.endsOn', message: 'Период 4 (четверти): конец 10.06.2027 позже конца учебного года (31.05.2027)' },
    ]);
    const overlapping = quarters.map((p) => (p.number === 2 ? { ...p, startsOn: '2026-10-20' } : p));
    expect(checkPeriodsAndHolidays(YEAR, overlapping, [])[0]).toMatchObject({
      field: 'periods.1.startsOn',
      message: expect.stringMatching(/^Период 2 \(четверти\): .*пересекается с периодом 1/) as string,
    });
    // Periods of different schemes may overlap.
    expect(checkPeriodsAndHolidays(YEAR, [...quarters, ...halves], [])).toEqual([]);
    const twice = [...quarters, { ...quarters[0]!, startsOn: '2026-09-01', endsOn: '2026-09-02', scheme: 'quarters' as const }];
    expect(checkPeriodsAndHolidays(YEAR, twice, []).map((p) => p.field)).toContain('periods.4.number');
    const reversed = [{ ...halves[0]!, startsOn: '2026-12-26', endsOn: '2026-09-01' }];
    expect(checkPeriodsAndHolidays(YEAR, reversed, [])[0]).toMatchObject({ field: 'periods.0.endsOn', message: expect.stringContaining('Период 1 (полугодия): конец') as string });
  });

  it('refuses holidays outside the year, overlapping each other or a quarter or trimester', () => {
    const bad: CalendarHoliday[] = [
      ...holidays,
      { name: 'Летние каникулы', startsOn: '2027-06-01', endsOn: '2027-08-31' },
      { name: 'Повтор', startsOn: '2026-10-30', endsOn: '2026-11-03' },
    ];
    const problems = checkPeriodsAndHolidays(YEAR, [...quarters, ...halves], bad);
    expect(problems).toEqual([
      { field: 'holidays.4.endsOn', message: 'Каникулы 5 («Летние каникулы»): конец 31.08.2027 позже конца учебного года (31.05.2027)' },
      { field: 'holidays.5.startsOn', message: expect.stringContaining('Каникулы 6 («Повтор»): 30.10.2026–03.11.2026 пересекаются с каникулами 1 («Осенние каникулы»)') as string },
    ]);
    const trimesters: CalendarPeriod[] = [{ scheme: 'trimesters', number: 1, name: '1 триместр', startsOn: '2026-09-01', endsOn: '2026-11-30' }];
    const inTerm = checkPeriodsAndHolidays(YEAR, trimesters, [holidays[0]!]);
    expect(inTerm[0]).toMatchObject({ field: 'holidays.0.startsOn', message: expect.stringContaining('попадают на период 1 (триместры)') as string });
    // Against halves only, the autumn holidays are fine.
    expect(checkPeriodsAndHolidays(YEAR, halves, [holidays[0]!])).toEqual([]);
  });

  it('skips row checks when the year dates themselves are broken', () => {
    expect(checkCalendar({ ...YEAR, endsOn: '2026-01-01' }, quarters, holidays).map((p) => p.field)).toEqual(['endsOn']);
  });

  it('makes default periods that cover the year without gaps and pass the checks', () => {
    const periods = defaultPeriods(YEAR.startsOn, YEAR.endsOn);
    expect(periods.map((p) => `${p.scheme}${p.number}`)).toEqual(['quarters1', 'quarters2', 'quarters3', 'quarters4', 'halves1', 'halves2']);
    expect(checkCalendar(YEAR, periods, [])).toEqual([]);
    const short = defaultPeriods('2026-11-15', '2027-02-10');
    expect(short[0]!.startsOn).toBe('2026-11-15');
    expect(short[3]!.endsOn).toBe('2027-02-10');
    expect(checkPeriodsAndHolidays({ startsOn: '2026-11-15', endsOn: '2027-02-10' }, short, [])).toEqual([]);
  });
});

describe('class teachers', () => {
  it('allows a teacher to lead one class of the year only', () => {
    expect(checkClassTeachers([{ label: '5А', classTeacherId: 1 }, { label: '5Б', classTeacherId: null }, { label: '6А', classTeacherId: 2 }])).toEqual([]);
    expect(checkClassTeachers([{ label: '5А', classTeacherId: 1 }, { label: '7В', classTeacherId: 1 }])).toEqual([
      { field: 'classTeacherId', message: 'Классный руководитель 7В: этот сотрудник уже классный руководитель 5А; у учителя может быть только один класс в году' },
    ]);
  });
});
