import type { z } from 'zod';
import { ApiError } from '../../common/api/errors';
import {
  MOVEMENT_KIND_LABELS,
  type LeaveReason,
  type MovementReport,
  type orderRefSchema,
  type PupilData,
} from '../../common/api/contingent';
import { ageProblem } from '../../common/domain/person';
import { alphabetLetter, fileNumber } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { classById, classLabels, ensureYearOpenOn, type ClassInfo } from './classes';
import { addDays, ruDate } from './dates';
import { resolveOrder, type ResolvedOrder } from './orders';
import { findSamePerson, personalColumns, pupilRow } from './pupils';
import { revokeCodesOfLeaver } from './access-codes';

type OrderRef = z.output<typeof orderRefSchema>;

export interface MovementContext {
  trx: Db;
  at: string;
  userId: number | null;
  orderSuffix: string;
  directorName: string | null;
}

/** How early before its year a class may take pupils in (admissions over the summer). */
const EARLY_ADMISSION_DAYS = 92;

function ensureDateInClassYear(date: string, cls: ClassInfo, field: string): void {
  if (date > cls.yearEnd || date < addDays(cls.yearStart, -EARLY_ADMISSION_DAYS)) {
    throw new ApiError(
      'refused',
      `Дата ${ruDate(date)} вне учебного года ${cls.yearName} класса ${cls.label} (${ruDate(cls.yearStart)} — ${ruDate(cls.yearEnd)}).`,
      { [field]: 'дата вне учебного года класса' },
    );
  }
  if (cls.yearClosed) throw new ApiError('refused', `Учебный год ${cls.yearName} закрыт: движение в классе ${cls.label} больше не вносится.`);
}

/** The membership open on `date` (still running), if any. */
async function openMembership(trx: Db, pupilId: number, date: string) {
  return trx
    .selectFrom('class_membership')
    .selectAll()
    .where('pupil_id', '=', pupilId)
    .where((w) => w.or([w('to_date', 'is', null), w('to_date', '>=', date)]))
    .orderBy('from_date', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function nextAlphabetNumber(trx: Db, letter: string): Promise<number> {
  const row = await trx.selectFrom('alphabet_counter').select('last_number').where('letter', '=', letter).executeTakeFirst();
  const next = (row?.last_number ?? 0) + 1;
  await trx
    .insertInto('alphabet_counter')
    .values({ letter, last_number: next })
    .onConflict((oc) => oc.column('letter').doUpdateSet({ last_number: next }))
    .execute();
  return next;
}

export interface AdmitInput {
  order: OrderRef;
  classId: number;
  date?: string;
  pupilId?: number;
  pupil?: PupilData;
  place?: string | null;
}

export async function admit(ctx: MovementContext, input: AdmitInput) {
  const { trx } = ctx;
  const cls = await classById(trx, input.classId);
  const order = await resolveOrder(trx, input.order, 'admission', ctx.orderSuffix, ctx.directorName);
  const date = input.date ?? order.date;
  ensureDateInClassYear(date, cls, 'date');
  await ensureYearOpenOn(trx, date, 'зачисление');

  let pupilId: number;
  let returning = false;
  if (input.pupilId !== undefined) {
    const existing = await pupilRow(trx, input.pupilId);
    const open = await openMembership(trx, existing.id, date);
    if (open) {
      const labels = await classLabels(trx);
      throw new ApiError('refused', `${existing.last_name} ${existing.first_name} уже обучается в ${labels.get(open.class_id) ?? 'классе'} с ${ruDate(open.from_date)}. Сначала оформите выбытие.`);
    }
    pupilId = existing.id;
    returning = true;
  } else {
    const data = input.pupil!;
    const same = await findSamePerson(trx, data);
    if (same.length > 0) {
      const p = same[0]!;
      throw new ApiError(
        'conflict',
        `${p.last_name} ${p.first_name} (${ruDate(p.birth_date)}, личное дело ${fileNumber(p.alphabet_letter, p.alphabet_number) ?? 'без номера'}) уже есть в реестре: зачислите его как ранее обучавшегося, не создавая второй карточки.`,
        { pupil: 'такой обучающийся уже есть в реестре' },
      );
    }
    const age = ageProblem(data.birthDate, cls.parallel, cls.yearStart);
    if (age) throw new ApiError('invalid_params', `Проверьте дату рождения: ${age}.`, { 'pupil.birthDate': age });
    const letter = alphabetLetter(data.lastName);
    const number = await nextAlphabetNumber(trx, letter);
    const inserted = await trx
      .insertInto('pupil')
      .values({ ...personalColumns(data, ctx.at), alphabet_letter: letter, alphabet_number: number, created_at: ctx.at })
      .returning('id')
      .executeTakeFirstOrThrow();
    pupilId = inserted.id;
  }
  const event = await trx
    .insertInto('movement_event')
    .values({ pupil_id: pupilId, order_id: order.id, kind: 'admission', event_date: date, to_class_id: cls.id, place: input.place ?? null, created_by: ctx.userId, created_at: ctx.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('class_membership').values({ pupil_id: pupilId, class_id: cls.id, from_date: date, start_event_id: event.id }).execute();
  const p = await pupilRow(trx, pupilId);
  return { pupilId, eventId: event.id, order, cls, returning, fileNo: fileNumber(p.alphabet_letter, p.alphabet_number), pupil: p };
}

/** The running membership that a move or a leaving on `date` ends; refuses impossible dates. */
async function membershipToEnd(trx: Db, pupilId: number, date: string, what: string) {
  const p = await pupilRow(trx, pupilId);
  const open = await trx.selectFrom('class_membership').selectAll().where('pupil_id', '=', pupilId).where('to_date', 'is', null).executeTakeFirst();
  if (!open) throw new ApiError('refused', `${p.last_name} ${p.first_name} сейчас не числится ни в одном классе: ${what} невозможно.`);
  if (date <= open.from_date) {
    throw new ApiError(
      'refused',
      `Дата ${ruDate(date)} не позже начала обучения в классе (${ruDate(open.from_date)}): ${what} должно быть позже зачисления или предыдущего перевода.`,
      { date: 'дата раньше зачисления' },
    );
  }
  return { pupil: p, membership: open };
}

export async function transfer(ctx: MovementContext, input: { pupilId: number; toClassId: number; order: OrderRef; date?: string }) {
  const { trx } = ctx;
  const target = await classById(trx, input.toClassId);
  const order = await resolveOrder(trx, input.order, 'class_transfer', ctx.orderSuffix, ctx.directorName);
  const date = input.date ?? order.date;
  await ensureYearOpenOn(trx, date, 'перевод');
  const { membership } = await membershipToEnd(trx, input.pupilId, date, 'перевод в другой класс');
  const current = await classById(trx, membership.class_id);
  if (current.id === target.id) throw new ApiError('refused', `Обучающийся уже в классе ${target.label}.`, { toClassId: 'тот же класс' });
  if (current.yearId !== target.yearId) {
    throw new ApiError('refused', `Класс ${target.label} относится к другому учебному году (${target.yearName}); перевод в следующий класс оформляется при закрытии года.`, { toClassId: 'класс другого года' });
  }
  ensureDateInClassYear(date, target, 'date');
  const event = await trx
    .insertInto('movement_event')
    .values({ pupil_id: input.pupilId, order_id: order.id, kind: 'class_transfer', event_date: date, from_class_id: current.id, to_class_id: target.id, created_by: ctx.userId, created_at: ctx.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('class_membership').set({ to_date: addDays(date, -1), end_event_id: event.id }).where('id', '=', membership.id).execute();
  await trx.insertInto('class_membership').values({ pupil_id: input.pupilId, class_id: target.id, from_date: date, start_event_id: event.id }).execute();
  return { eventId: event.id, order, from: current, to: target };
}

export async function leave(
  ctx: MovementContext,
  input: { pupilId: number; order: OrderRef; date?: string; reason: LeaveReason; place?: string | null; note?: string | null },
) {
  const { trx } = ctx;
  const order = await resolveOrder(trx, input.order, 'expulsion', ctx.orderSuffix, ctx.directorName);
  const date = input.date ?? order.date;
  await ensureYearOpenOn(trx, date, 'выбытие');
  const { membership } = await membershipToEnd(trx, input.pupilId, date, 'выбытие');
  const event = await trx
    .insertInto('movement_event')
    .values({
      pupil_id: input.pupilId,
      order_id: order.id,
      kind: 'leave',
      event_date: date,
      from_class_id: membership.class_id,
      reason: input.reason,
      place: input.place ?? null,
      note: input.note ?? null,
      created_by: ctx.userId,
      created_at: ctx.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The last day in the school is the day before the leaving date.
  await trx.updateTable('class_membership').set({ to_date: addDays(date, -1), end_event_id: event.id }).where('id', '=', membership.id).execute();
  const revokedCodes = await revokeCodesOfLeaver(trx, input.pupilId, date, ctx.at);
  return { eventId: event.id, order, revokedCodes };
}

/**
 * Cancels an event entered in error by a counter-event; the event itself stays in the history.
 * Only the pupil's latest standing event can be cancelled, so that the class memberships (the
 * state derived from the events) are restored exactly.
 */
export async function cancel(ctx: MovementContext, input: { eventId: number; reason: string }, today: string) {
  const { trx } = ctx;
  const event = await trx.selectFrom('movement_event').selectAll().where('id', '=', input.eventId).executeTakeFirst();
  if (!event) throw new ApiError('not_found', `Запись о движении № ${input.eventId} не найдена.`);
  if (event.kind === 'cancellation') throw new ApiError('refused', 'Это запись об отмене; отменить её нельзя. Внесите событие заново по приказу.');
  const already = await trx.selectFrom('movement_event').select('id').where('cancels_event_id', '=', event.id).executeTakeFirst();
  if (already) throw new ApiError('refused', 'Эта запись уже отменена.');
  await ensureYearOpenOn(trx, event.event_date, 'отмена записи');
  const standing = await trx
    .selectFrom('movement_event as e')
    .select(['e.id'])
    .where('e.pupil_id', '=', event.pupil_id)
    .where('e.kind', '!=', 'cancellation')
    .where((w) => w.not(w.exists(w.selectFrom('movement_event as c').select('c.id').whereRef('c.cancels_event_id', '=', 'e.id'))))
    .orderBy('e.event_date', 'desc')
    .orderBy('e.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (standing?.id !== event.id) {
    throw new ApiError('refused', 'Отменить можно только последнюю действующую запись обучающегося. Сначала отмените более поздние записи.');
  }
  if (!['admission', 'class_transfer', 'leave'].includes(event.kind)) {
    throw new ApiError('refused', `Запись «${MOVEMENT_KIND_LABELS[event.kind] ?? event.kind}» отменяется при повторном открытии учебного года.`);
  }
  if (event.kind === 'admission' || event.kind === 'class_transfer') {
    // The membership this event opened is derived state: it goes, the event stays in the history.
    const opened = await trx.selectFrom('class_membership').select(['id', 'to_date']).where('start_event_id', '=', event.id).executeTakeFirst();
    if (opened && opened.to_date !== null) throw new ApiError('refused', 'Обучение в этом классе уже завершено более поздней записью: сначала отмените её.');
    await trx.deleteFrom('class_membership').where('start_event_id', '=', event.id).execute();
  }
  if (event.kind === 'class_transfer' || event.kind === 'leave') {
    await trx.updateTable('class_membership').set({ to_date: null, end_event_id: null }).where('end_event_id', '=', event.id).execute();
  }
  const counter = await trx
    .insertInto('movement_event')
    .values({
      pupil_id: event.pupil_id,
      kind: 'cancellation',
      event_date: today,
      cancels_event_id: event.id,
      note: `Внесено ошибочно: ${input.reason}`,
      created_by: ctx.userId,
      created_at: ctx.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cancelled: event, counterId: counter.id };
}

/**
 * Movement of pupils over a period, from the class memberships. A pupil is in a class on day D
 * when from_date ≤ D ≤ to_date; so for every class end = start + arrived − left holds exactly,
 * and start/end equal the class lists on the two dates.
 */
export async function movementReport(db: Db, from: string, to: string): Promise<MovementReport> {
  const labels = await classLabels(db);
  const memberships = await db
    .selectFrom('class_membership')
    .select(['class_id', 'from_date', 'to_date'])
    .where('from_date', '<=', to)
    .where((w) => w.or([w('to_date', 'is', null), w('to_date', '>=', from)]))
    .execute();
  const byClass = new Map<number, { start: number; arrived: number; left: number; end: number }>();
  for (const m of memberships) {
    const row = byClass.get(m.class_id) ?? { start: 0, arrived: 0, left: 0, end: 0 };
    const inAt = (day: string) => m.from_date <= day && (m.to_date === null || m.to_date >= day);
    if (inAt(from)) row.start += 1;
    if (inAt(to)) row.end += 1;
    if (m.from_date > from && m.from_date <= to) row.arrived += 1;
    if (m.to_date !== null && m.to_date >= from && m.to_date < to) row.left += 1;
    byClass.set(m.class_id, row);
  }
  const classIds = [...byClass.keys()];
  const classRows = classIds.length
    ? await db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('id', 'in', classIds).orderBy('parallel').orderBy('letter').execute()
    : [];
  const classes = classRows.map((c) => ({ classId: c.id, class: labels.get(c.id) ?? '?', ...byClass.get(c.id)! }));
  const totals = classes.reduce((t, c) => ({ start: t.start + c.start, arrived: t.arrived + c.arrived, left: t.left + c.left, end: t.end + c.end }), { start: 0, arrived: 0, left: 0, end: 0 });

  const events = await effectiveEventsBetween(db, from, to)
    .select(['e.id', 'e.event_date', 'e.kind', 'o.number', 'o.order_date', 'e.pupil_id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'e.from_class_id', 'e.to_class_id', 'e.place', 'e.reason'])
    .execute();
  return {
    from,
    to,
    classes,
    totals,
    events: events.map((e) => ({
      id: e.id,
      date: e.event_date,
      kind: e.kind,
      kindLabel: MOVEMENT_KIND_LABELS[e.kind] ?? e.kind,
      order: e.number,
      orderDate: e.order_date,
      pupilId: e.pupil_id,
      pupilName: [e.last_name, e.first_name, e.middle_name].filter(Boolean).join(' '),
      birthDate: e.birth_date,
      fromClass: e.from_class_id === null ? null : (labels.get(e.from_class_id) ?? null),
      toClass: e.to_class_id === null ? null : (labels.get(e.to_class_id) ?? null),
      place: e.place,
      reason: e.reason,
    })),
  };
}

export type { ResolvedOrder };

/**
 * The movement events of a period that stand: cancellations and the events they cancel are left
 * out. Joined with the pupil (`p`) and the order (`o`, may be null), in date order; the caller
 * selects what it needs.
 */
export function effectiveEventsBetween(db: Db, from: string, to: string) {
  return db
    .selectFrom('movement_event as e')
    .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
    .leftJoin('pupil_order as o', 'o.id', 'e.order_id')
    .where('e.event_date', '>=', from)
    .where('e.event_date', '<=', to)
    .where('e.kind', '!=', 'cancellation')
    .where((w) => w.not(w.exists(w.selectFrom('movement_event as c').select('c.id').whereRef('c.cancels_event_id', '=', 'e.id'))))
    .orderBy('e.event_date')
    .orderBy('e.id');
}
