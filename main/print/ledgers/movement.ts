import { MOVEMENT_KIND_LABELS } from '../../../common/api/contingent';
import { classLabel, comparePeople } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import { ruDate } from '../../../templates/layout';
import type { MovementLedgerClass, MovementLine, MovementTotalsRow } from '../../../templates/journal/types';
import type { ClassInfo } from '../journal/roster';

/**
 * The movement of one class over its year, from the class memberships (as movement.report
 * counts it: at the start = members on the first day, at the end = members on the last day,
 * end = start + arrived − left), each arrival and departure described by its movement event and
 * order. Cancelled events ("внесено ошибочно") and the cancellations are never printed.
 */

interface EventInfo {
  kind: string;
  date: string;
  place: string | null;
  reason: string | null;
  fromClass: number | null;
  toClass: number | null;
  order: string;
}

function orderText(number: string | null, date: string | null): string {
  if (!number) return '';
  return date ? `№ ${number} от ${ruDate(date)}` : `№ ${number}`;
}

function joinText(parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => Boolean(p && p.trim())).join('; ');
}

export async function loadClassMovement(db: Db, cls: ClassInfo, labels: ReadonlyMap<number, string>): Promise<MovementLedgerClass> {
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['m.id', 'm.pupil_id', 'm.from_date', 'm.to_date', 'm.start_event_id', 'm.end_event_id', 'p.last_name', 'p.first_name', 'p.middle_name'])
    .where('m.class_id', '=', cls.id)
    .where('m.from_date', '<=', cls.yearEnd)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', cls.yearStart)]))
    .execute();
  const eventIds = rows.flatMap((r) => [r.start_event_id, r.end_event_id]).filter((id): id is number => id !== null);
  const events = new Map<number, EventInfo>();
  if (eventIds.length > 0) {
    const list = await db
      .selectFrom('movement_event as e')
      .leftJoin('pupil_order as o', 'o.id', 'e.order_id')
      .select(['e.id', 'e.kind', 'e.event_date', 'e.place', 'e.reason', 'e.from_class_id', 'e.to_class_id', 'o.number', 'o.order_date'])
      .where('e.id', 'in', eventIds)
      .where('e.kind', '!=', 'cancellation')
      .where((w) => w.not(w.exists(w.selectFrom('movement_event as c').select('c.id').whereRef('c.cancels_event_id', '=', 'e.id'))))
      .execute();
    for (const e of list) {
      events.set(e.id, {
        kind: e.kind,
        date: e.event_date,
        place: e.place,
        reason: e.reason,
        fromClass: e.from_class_id,
        toClass: e.to_class_id,
        order: orderText(e.number, e.order_date),
      });
    }
  }
  const label = (id: number | null): string => (id === null ? '' : (labels.get(id) ?? ''));
  const inAt = (r: (typeof rows)[number], day: string) => r.from_date <= day && (r.to_date === null || r.to_date >= day);
  const sorted = [...rows].sort((a, b) => comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) || a.id - b.id);
  const name = (r: (typeof rows)[number]) => [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');

  const arrivals: MovementLine[] = [];
  const departures: MovementLine[] = [];
  for (const r of sorted) {
    if (r.from_date > cls.yearStart && r.from_date <= cls.yearEnd) {
      const e = r.start_event_id !== null ? events.get(r.start_event_id) : undefined;
      let detail = 'зачисление';
      if (e?.kind === 'class_transfer') detail = joinText([e.fromClass !== null ? `перевод из ${label(e.fromClass)} класса` : 'перевод из другого класса', e.reason]);
      else if (e) detail = joinText([e.place, e.reason]) || (MOVEMENT_KIND_LABELS[e.kind] ?? 'Зачисление').toLowerCase();
      arrivals.push({ name: name(r), date: e?.date ?? r.from_date, detail, order: e?.order ?? '' });
    }
    if (r.to_date !== null && r.to_date >= cls.yearStart && r.to_date < cls.yearEnd) {
      const e = r.end_event_id !== null ? events.get(r.end_event_id) : undefined;
      let detail = 'выбытие';
      if (e?.kind === 'class_transfer') detail = joinText([e.toClass !== null ? `перевод в ${label(e.toClass)} класс` : 'перевод в другой класс', e.reason]);
      else if (e?.kind === 'graduation') detail = joinText(['окончание обучения', e.place]);
      else if (e) detail = joinText([e.reason, e.place]) || 'выбытие';
      departures.push({ name: name(r), date: e?.date ?? r.to_date, detail, order: e?.order ?? '' });
    }
  }
  const byDate = (a: MovementLine, b: MovementLine) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  arrivals.sort(byDate);
  departures.sort(byDate);
  return {
    heading: `${cls.label} класс`,
    from: cls.yearStart,
    to: cls.yearEnd,
    atStart: rows.filter((r) => inAt(r, cls.yearStart)).length,
    arrivals,
    departures,
    atEnd: rows.filter((r) => inAt(r, cls.yearEnd)).length,
  };
}

/** Labels of all classes («5А») by id, for transfers between classes. */
export async function allClassLabels(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('school_class').select(['id', 'parallel', 'letter']).execute();
  return new Map(rows.map((r) => [r.id, classLabel(r.parallel, r.letter)]));
}

/** Per class: at the start, arrived, left, at the end (one query over the year's memberships). */
export async function movementTotals(db: Db, classes: readonly ClassInfo[]): Promise<MovementTotalsRow[]> {
  if (classes.length === 0) return [];
  const rows = await db
    .selectFrom('class_membership')
    .select(['class_id', 'from_date', 'to_date'])
    .where(
      'class_id',
      'in',
      classes.map((c) => c.id),
    )
    .execute();
  const byClass = new Map(classes.map((c) => [c.id, { classLabel: c.label, atStart: 0, arrived: 0, left: 0, atEnd: 0 }]));
  const classOf = new Map(classes.map((c) => [c.id, c]));
  for (const m of rows) {
    const cls = classOf.get(m.class_id);
    const row = byClass.get(m.class_id);
    if (!cls || !row) continue;
    const inAt = (day: string) => m.from_date <= day && (m.to_date === null || m.to_date >= day);
    if (inAt(cls.yearStart)) row.atStart += 1;
    if (inAt(cls.yearEnd)) row.atEnd += 1;
    if (m.from_date > cls.yearStart && m.from_date <= cls.yearEnd) row.arrived += 1;
    if (m.to_date !== null && m.to_date >= cls.yearStart && m.to_date < cls.yearEnd) row.left += 1;
  }
  return classes.map((c) => byClass.get(c.id)!);
}
