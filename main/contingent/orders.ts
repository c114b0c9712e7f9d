import type { z } from 'zod';
import { ApiError } from '../../common/api/errors';
import { ORDER_KIND_LABELS, type OrderKind, type orderRefSchema, type OrderRow } from '../../common/api/contingent';
import type { Db } from '../../db/connection';
import { ensureYearOpenOn } from './classes';
import { ruDate, yearLabelOf } from './dates';

export interface ResolvedOrder {
  id: number;
  number: string;
  date: string;
  created: boolean;
}

const DEFAULT_TITLES: Record<OrderKind, string> = {
  admission: 'О зачислении обучающихся',
  class_transfer: 'О переводе обучающихся в другой класс',
  expulsion: 'О выбытии обучающихся',
  promotion: 'О переводе обучающихся в следующий класс',
  conditional_promotion: 'Об условном переводе обучающихся',
  repeat: 'Об оставлении обучающихся на повторное обучение',
  graduation: 'О выпуске обучающихся',
};

/** The operative wording of an order made from the app; the list of pupils is its annex. */
const DEFAULT_BODIES: Record<OrderKind, string> = {
  admission: 'ПРИКАЗЫВАЮ:\n1. Зачислить в число обучающихся школы лиц, указанных в приложении к настоящему приказу.\n2. Внести записи в алфавитную книгу записи обучающихся и оформить личные дела.',
  class_transfer: 'ПРИКАЗЫВАЮ:\n1. Перевести обучающихся, указанных в приложении к настоящему приказу, в другой класс.\n2. Внести изменения в списки классов.',
  expulsion: 'ПРИКАЗЫВАЮ:\n1. Отчислить обучающихся, указанных в приложении к настоящему приказу, по указанным в нём основаниям.\n2. Внести записи о выбытии в алфавитную книгу записи обучающихся.',
  promotion: 'ПРИКАЗЫВАЮ:\n1. Перевести в следующий класс обучающихся, указанных в приложении к настоящему приказу.',
  conditional_promotion: 'ПРИКАЗЫВАЮ:\n1. Перевести условно в следующий класс обучающихся, указанных в приложении к настоящему приказу.',
  repeat: 'ПРИКАЗЫВАЮ:\n1. Оставить на повторное обучение обучающихся, указанных в приложении к настоящему приказу.',
  graduation: 'ПРИКАЗЫВАЮ:\n1. Выпустить из школы обучающихся, указанных в приложении к настоящему приказу.',
};

/**
 * The order a movement is made by: an existing order of the right kind, or a new one numbered
 * within its school year («17-у»). Orders dated in a closed year are refused.
 */
export async function resolveOrder(
  trx: Db,
  ref: z.output<typeof orderRefSchema>,
  kind: OrderKind,
  suffix: string,
  signedBy: string | null,
): Promise<ResolvedOrder> {
  if ('id' in ref) {
    const order = await trx.selectFrom('pupil_order').selectAll().where('id', '=', ref.id).executeTakeFirst();
    if (!order) throw new ApiError('not_found', `Приказ № ${ref.id} не найден. Выберите приказ из книги приказов.`, { order: 'нет такого приказа' });
    if (order.kind !== kind) {
      throw new ApiError('refused', `Приказ ${order.number} от ${ruDate(order.order_date)} — ${ORDER_KIND_LABELS[order.kind]}, а нужен приказ ${ORDER_KIND_LABELS[kind]}.`, { order: 'приказ другого вида' });
    }
    await ensureYearOpenOn(trx, order.order_date, 'изменение по приказу');
    return { id: order.id, number: order.number, date: order.order_date, created: false };
  }
  await ensureYearOpenOn(trx, ref.date, 'приказ');
  const yearLabel = yearLabelOf(ref.date);
  const last = await trx
    .selectFrom('pupil_order')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('year_label', '=', yearLabel)
    .executeTakeFirst();
  const nextSeq = Number(last?.seq ?? 0) + 1;
  let number = `${nextSeq}${suffix}`;
  let seq = nextSeq;
  if (ref.number) {
    number = ref.number;
    const leading = /^\d+/.exec(ref.number);
    seq = leading ? Number(leading[0]) : nextSeq;
  }
  const taken = await trx.selectFrom('pupil_order').select('id').where('year_label', '=', yearLabel).where('number', '=', number).executeTakeFirst();
  if (taken) {
    throw new ApiError('conflict', `Приказ № ${number} за ${yearLabel} учебный год уже есть в книге приказов. Выберите его или укажите другой номер.`, {
      order: 'номер уже занят',
    });
  }
  const inserted = await trx
    .insertInto('pupil_order')
    .values({
      year_label: yearLabel,
      seq,
      number,
      order_date: ref.date,
      kind,
      title: ref.title || DEFAULT_TITLES[kind],
      body: ref.body || DEFAULT_BODIES[kind],
      signed_by: signedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, number, date: ref.date, created: true };
}

export async function listOrders(db: Db, yearLabel: string | undefined): Promise<{ years: string[]; orders: OrderRow[] }> {
  const years = (await db.selectFrom('pupil_order').select('year_label').distinct().orderBy('year_label', 'desc').execute()).map((r) => r.year_label);
  const year = yearLabel ?? years[0];
  if (!year) return { years, orders: [] };
  const rows = await db
    .selectFrom('pupil_order as o')
    .selectAll('o')
    .select((eb) =>
      eb
        .selectFrom('movement_event as e')
        .whereRef('e.order_id', '=', 'o.id')
        .select((inner) => inner.fn.count<number>('e.pupil_id').distinct().as('n'))
        .as('pupils'),
    )
    .where('o.year_label', '=', year)
    .orderBy('o.seq')
    .orderBy('o.id')
    .execute();
  return {
    years,
    orders: rows.map((o) => ({
      id: o.id,
      yearLabel: o.year_label,
      number: o.number,
      date: o.order_date,
      kind: o.kind,
      kindLabel: ORDER_KIND_LABELS[o.kind],
      title: o.title,
      body: o.body,
      pupils: Number(o.pupils ?? 0),
    })),
  };
}
