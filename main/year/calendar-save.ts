import { classLabel } from '../../common/domain/russian';
import { checkCalendar, SCHEME_LABELS, type CalendarProblem, type PeriodScheme } from '../../common/domain/year-calendar';
import type { Db } from '../../db/connection';
import { writableYear } from './guard';
import { assertNoProblems } from './refuse';

export interface CalendarInput {
  yearId: number;
  startsOn: string;
  endsOn: string;
  periods: { id?: number | undefined; scheme: PeriodScheme; number: number; name: string; startsOn: string; endsOn: string }[];
  holidays: { id?: number | undefined; name: string; startsOn: string; endsOn: string }[];
}

/** What changed, by id and field name only (the audit log carries no values). */
export interface CalendarChanges {
  yearFields: string[];
  periods: { added: number[]; changed: number[]; removed: number[] };
  holidays: { added: number[]; changed: number[]; removed: number[] };
}

function changedFields<T extends Record<string, unknown>>(before: T, after: T, keys: readonly (keyof T & string)[]): string[] {
  return keys.filter((k) => before[k] !== after[k]);
}

/**
 * Replaces a year's dates, periods and holidays (rows with an id are updated, rows without are
 * added, rows left out are removed). Refuses, naming field and row, when the calendar is invalid,
 * when a class uses a scheme left without periods, when lessons fall outside the new dates, or
 * when a removed period already has period marks.
 */
export async function saveCalendar(trx: Db, input: CalendarInput): Promise<CalendarChanges> {
  const year = await writableYear(trx, input.yearId);
  const others = await trx.selectFrom('school_year').select(['name', 'starts_on', 'ends_on']).where('id', '!=', year.id).execute();
  const problems: CalendarProblem[] = checkCalendar(
    { name: year.name, startsOn: input.startsOn, endsOn: input.endsOn },
    input.periods,
    input.holidays,
    others.map((o) => ({ name: o.name, startsOn: o.starts_on, endsOn: o.ends_on })),
  );

  const oldPeriods = await trx.selectFrom('period').selectAll().where('year_id', '=', year.id).execute();
  const oldHolidays = await trx.selectFrom('holiday').selectAll().where('year_id', '=', year.id).execute();
  const periodById = new Map(oldPeriods.map((p) => [p.id, p]));
  const holidayById = new Map(oldHolidays.map((h) => [h.id, h]));
  input.periods.forEach((p, i) => {
    if (p.id !== undefined && !periodById.has(p.id)) {
      problems.push({ field: `periods.${i}.id`, message: `Период ${p.number} (${SCHEME_LABELS[p.scheme]}): такого периода нет в учебном году ${year.name}; обновите страницу` });
    } else if (p.id !== undefined && input.periods.findIndex((q) => q.id === p.id) < i) {
      problems.push({ field: `periods.${i}.id`, message: `Период ${p.number} (${SCHEME_LABELS[p.scheme]}): эта строка указана дважды; обновите страницу` });
    }
  });
  input.holidays.forEach((h, i) => {
    if (h.id !== undefined && !holidayById.has(h.id)) {
      problems.push({ field: `holidays.${i}.id`, message: `Каникулы ${i + 1} («${h.name}»): таких каникул нет в учебном году ${year.name}; обновите страницу` });
    } else if (h.id !== undefined && input.holidays.findIndex((q) => q.id === h.id) < i) {
      problems.push({ field: `holidays.${i}.id`, message: `Каникулы ${i + 1} («${h.name}»): эта строка указана дважды; обновите страницу` });
    }
  });

  const classes = await trx.selectFrom('school_class').select(['id', 'parallel', 'letter', 'period_scheme']).where('year_id', '=', year.id).execute();
  const schemesGiven = new Set(input.periods.map((p) => p.scheme));
  for (const scheme of new Set(classes.map((c) => c.period_scheme))) {
    if (schemesGiven.has(scheme)) continue;
    const users = classes.filter((c) => c.period_scheme === scheme).map((c) => classLabel(c.parallel, c.letter));
    problems.push({
      field: 'periods',
      message: `Периоды: классы ${users.slice(0, 5).join(', ')}${users.length > 5 ? ' и другие' : ''} учатся по схеме «${SCHEME_LABELS[scheme]}», а таких периодов в календаре нет — добавьте их или смените схему у классов`,
    });
  }

  if (classes.length > 0) {
    const outside = await trx
      .selectFrom('lesson')
      .where(
        'class_id',
        'in',
        classes.map((c) => c.id),
      )
      .where((w) => w.or([w('lesson_date', '<', input.startsOn), w('lesson_date', '>', input.endsOn)]))
      .select((eb) => [eb.fn.min('lesson_date').as('first'), eb.fn.max('lesson_date').as('last'), eb.fn.countAll<number>().as('n')])
      .executeTakeFirstOrThrow();
    if (Number(outside.n) > 0) {
      problems.push({
        field: 'startsOn',
        message: `Даты года: ${Number(outside.n)} уроков классов этого года (с ${String(outside.first)} по ${String(outside.last)}) оказались бы вне учебного года — расширьте даты`,
      });
    }
  }

  const keptPeriodIds = new Set(input.periods.flatMap((p) => (p.id === undefined ? [] : [p.id])));
  const removedPeriods = oldPeriods.filter((p) => !keptPeriodIds.has(p.id));
  if (removedPeriods.length > 0) {
    const used = await trx
      .selectFrom('final_mark')
      .where(
        'period_id',
        'in',
        removedPeriods.map((p) => p.id),
      )
      .select(['period_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('period_id')
      .execute();
    for (const u of used) {
      const p = periodById.get(u.period_id ?? -1);
      if (!p) continue;
      problems.push({
        field: 'periods',
        message: `Период ${p.number} (${SCHEME_LABELS[p.scheme]}): за него выставлено ${Number(u.n)} отметок — период нельзя удалить; измените его даты`,
      });
    }
  }
  assertNoProblems(problems, `Календарь учебного года ${year.name} не сохранён`);

  const changes: CalendarChanges = {
    yearFields: changedFields({ startsOn: year.starts_on, endsOn: year.ends_on }, { startsOn: input.startsOn, endsOn: input.endsOn }, ['startsOn', 'endsOn']),
    periods: { added: [], changed: [], removed: removedPeriods.map((p) => p.id) },
    holidays: { added: [], changed: [], removed: [] },
  };
  if (changes.yearFields.length > 0) {
    await trx.updateTable('school_year').set({ starts_on: input.startsOn, ends_on: input.endsOn }).where('id', '=', year.id).execute();
  }

  if (removedPeriods.length > 0) {
    await trx
      .deleteFrom('period')
      .where(
        'id',
        'in',
        removedPeriods.map((p) => p.id),
      )
      .execute();
  }
  // Only rows that really change are written (an unchanged row keeps its state for the reopen's
  // "changed since the close" check). Numbers are unique per scheme: park the changed rows on
  // negative numbers first, so that swapping «2» and «3» does not collide halfway.
  const changedPeriods = input.periods.flatMap((p) => {
    const old = p.id === undefined ? undefined : periodById.get(p.id);
    if (!old) return [];
    const after = { scheme: p.scheme, number: p.number, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn };
    return changedFields(old, { ...old, ...after }, ['scheme', 'number', 'name', 'starts_on', 'ends_on']).length > 0 ? [{ id: old.id, after }] : [];
  });
  for (const p of changedPeriods) await trx.updateTable('period').set({ number: -p.id }).where('id', '=', p.id).execute();
  for (const p of changedPeriods) {
    await trx.updateTable('period').set(p.after).where('id', '=', p.id).execute();
    changes.periods.changed.push(p.id);
  }
  for (const p of input.periods.filter((q) => q.id === undefined)) {
    const row = await trx
      .insertInto('period')
      .values({ year_id: year.id, scheme: p.scheme, number: p.number, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn })
      .returning('id')
      .executeTakeFirstOrThrow();
    changes.periods.added.push(row.id);
  }

  const keptHolidayIds = new Set(input.holidays.flatMap((h) => (h.id === undefined ? [] : [h.id])));
  changes.holidays.removed = oldHolidays.filter((h) => !keptHolidayIds.has(h.id)).map((h) => h.id);
  if (changes.holidays.removed.length > 0) await trx.deleteFrom('holiday').where('id', 'in', changes.holidays.removed).execute();
  for (const h of input.holidays) {
    const after = { name: h.name, starts_on: h.startsOn, ends_on: h.endsOn };
    if (h.id === undefined) {
      const row = await trx
        .insertInto('holiday')
        .values({ year_id: year.id, ...after })
        .returning('id')
        .executeTakeFirstOrThrow();
      changes.holidays.added.push(row.id);
      continue;
    }
    const old = holidayById.get(h.id);
    if (old && changedFields(old, { ...old, ...after }, ['name', 'starts_on', 'ends_on']).length > 0) {
      await trx.updateTable('holiday').set(after).where('id', '=', h.id).execute();
      changes.holidays.changed.push(h.id);
    }
  }
  return changes;
}
