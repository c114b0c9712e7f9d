import { ApiError } from '../../common/api/errors';
import type { GuardianData } from '../../common/api/contingent';
import { fileNumber, searchKey } from '../../common/domain/russian';
import { classLabels, listClasses } from '../contingent/classes';
import { movementReport, admit as admitPupil, cancel as cancelEvent, leave as leavePupil, transfer as transferPupil, type MovementContext } from '../contingent/movement';
import { listOrders } from '../contingent/orders';
import { findSamePerson, guardianView, personColumns, personalColumns, personalView, pupilCard, pupilEvents, pupilRow, searchPupils } from '../contingent/pupils';
import type { Handler, HandlerContext } from '../context';
import { readSchool } from './school';
import { localDay } from '../../common/domain/local-day';

const today = (ctx: HandlerContext) => localDay(ctx.now());

async function movementContext(ctx: HandlerContext): Promise<MovementContext> {
  const school = await readSchool(ctx.db);
  return {
    trx: ctx.db,
    at: ctx.now().toISOString(),
    userId: ctx.session?.user.id ?? null,
    orderSuffix: ctx.app.settings.orderSuffix,
    directorName: school.directorName || null,
  };
}

export const classesList: Handler<'classes.list'> = async (ctx, params) => {
  const date = params.date ?? today(ctx);
  return { date, classes: await listClasses(ctx.db, date) };
};

export const pupilsSearch: Handler<'pupils.search'> = async (ctx, params) => {
  const date = params.date ?? today(ctx);
  const found = await searchPupils(ctx.db, { ...params, date });
  return { date, ...found };
};

export const pupilsGet: Handler<'pupils.get'> = async (ctx, params) => pupilCard(ctx.db, params.id, today(ctx));

export const pupilsUpdate: Handler<'pupils.update'> = async (ctx, params) => {
  const before = await pupilRow(ctx.db, params.id);
  const same = (await findSamePerson(ctx.db, params.data)).filter((p) => p.id !== before.id);
  if (same.length > 0) {
    throw new ApiError('conflict', `С такими данными в реестре уже есть другой обучающийся (личное дело ${fileNumber(same[0]!.alphabet_letter, same[0]!.alphabet_number) ?? 'без номера'}). Ничего не изменено.`, {
      'data.snils': 'совпадает с другим обучающимся',
    });
  }
  await ctx.db.updateTable('pupil').set(personalColumns(params.data, ctx.now().toISOString())).where('id', '=', params.id).execute();
  const after = await pupilRow(ctx.db, params.id);
  ctx.audit({ entity: 'pupil', entityId: params.id, before: personalView(before), after: personalView(after) });
  return pupilCard(ctx.db, params.id, today(ctx));
};

export const pupilsFindExisting: Handler<'pupils.findExisting'> = async (ctx, params) => {
  const same = await findSamePerson(ctx.db, params);
  const found = await searchPupils(ctx.db, { date: today(ctx), includeNotEnrolled: true, limit: 5000 });
  const ids = new Set(same.map((p) => p.id));
  return { matches: found.rows.filter((r) => ids.has(r.id)) };
};

function guardianColumns(data: GuardianData, at: string) {
  return { ...personColumns(data, at), birth_date: data.birthDate, doc_kind: data.docKind };
}

async function guardianById(ctx: HandlerContext, id: number) {
  const row = await ctx.db.selectFrom('guardian').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Законный представитель № ${id} не найден.`, { guardianId: 'нет такого представителя' });
  return row;
}

export const guardiansSearch: Handler<'guardians.search'> = async (ctx, params) => {
  const key = searchKey(params.query);
  const rows = (await ctx.db.selectFrom('guardian').selectAll().execute()).filter((g) =>
    searchKey(`${g.last_name} ${g.first_name} ${g.middle_name ?? ''}`).startsWith(key),
  );
  const shown = rows.slice(0, 50);
  const children = shown.length
    ? await ctx.db
        .selectFrom('pupil_guardian as pg')
        .innerJoin('pupil as p', 'p.id', 'pg.pupil_id')
        .select(['pg.guardian_id', 'p.last_name', 'p.first_name', 'p.birth_date'])
        .where('pg.guardian_id', 'in', shown.map((g) => g.id))
        .execute()
    : [];
  return {
    rows: shown.map((g) => ({
      ...guardianView(g),
      children: children.filter((c) => c.guardian_id === g.id).map((c) => `${c.last_name} ${c.first_name}, ${c.birth_date.split('-').reverse().join('.')}`),
    })),
  };
};

export const guardiansLink: Handler<'guardians.link'> = async (ctx, params) => {
  await pupilRow(ctx.db, params.pupilId);
  let guardianId: number;
  if (params.guardianId !== undefined) {
    guardianId = (await guardianById(ctx, params.guardianId)).id;
  } else {
    const data = params.guardian!;
    if (data.snils) {
      const same = await ctx.db.selectFrom('guardian').select('id').where('snils', '=', data.snils).executeTakeFirst();
      if (same) {
        throw new ApiError('conflict', 'Представитель с таким СНИЛС уже есть в реестре (например, родитель брата или сестры): выберите его из найденных.', {
          'guardian.snils': 'уже есть в реестре',
        });
      }
    }
    const inserted = await ctx.db.insertInto('guardian').values(guardianColumns(data, ctx.now().toISOString())).returningAll().executeTakeFirstOrThrow();
    guardianId = inserted.id;
    ctx.audit({ action: 'Добавление законного представителя', entity: 'guardian', entityId: guardianId, after: guardianView(inserted) });
  }
  const linked = await ctx.db.selectFrom('pupil_guardian').select('guardian_id').where('pupil_id', '=', params.pupilId).where('guardian_id', '=', guardianId).executeTakeFirst();
  if (linked) throw new ApiError('conflict', 'Этот представитель уже указан в карточке обучающегося.');
  await ctx.db
    .insertInto('pupil_guardian')
    .values({ pupil_id: params.pupilId, guardian_id: guardianId, kinship: params.kinship, authority_doc: params.authorityDoc ?? null })
    .execute();
  ctx.audit({ entity: 'pupil', entityId: params.pupilId, after: { guardianId, kinship: params.kinship, authorityDoc: params.authorityDoc ?? null } });
  return pupilCard(ctx.db, params.pupilId, today(ctx));
};

export const guardiansUpdate: Handler<'guardians.update'> = async (ctx, params) => {
  const before = await guardianById(ctx, params.id);
  await ctx.db.updateTable('guardian').set(guardianColumns(params.data, ctx.now().toISOString())).where('id', '=', params.id).execute();
  const after = await guardianById(ctx, params.id);
  ctx.audit({ entity: 'guardian', entityId: params.id, before: guardianView(before), after: guardianView(after) });
  return guardianView(after);
};

export const guardiansUnlink: Handler<'guardians.unlink'> = async (ctx, params) => {
  const link = await ctx.db.selectFrom('pupil_guardian').selectAll().where('pupil_id', '=', params.pupilId).where('guardian_id', '=', params.guardianId).executeTakeFirst();
  if (!link) throw new ApiError('not_found', 'Этот представитель не указан в карточке обучающегося.');
  await ctx.db.deleteFrom('pupil_guardian').where('pupil_id', '=', params.pupilId).where('guardian_id', '=', params.guardianId).execute();
  ctx.audit({ entity: 'pupil', entityId: params.pupilId, before: { guardianId: link.guardian_id, kinship: link.kinship, authorityDoc: link.authority_doc } });
  return pupilCard(ctx.db, params.pupilId, today(ctx));
};

export const ordersList: Handler<'orders.list'> = async (ctx, params) => listOrders(ctx.db, params.yearLabel);

export const ordersGet: Handler<'orders.get'> = async (ctx, params) => {
  const { orders } = await listOrders(ctx.db, (await ctx.db.selectFrom('pupil_order').select('year_label').where('id', '=', params.id).executeTakeFirst())?.year_label ?? '-');
  const order = orders.find((o) => o.id === params.id);
  if (!order) throw new ApiError('not_found', `Приказ № ${params.id} не найден.`);
  const labels = await classLabels(ctx.db);
  const eventPupils = await ctx.db
    .selectFrom('movement_event as e')
    .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
    .select(['e.pupil_id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'p.alphabet_letter', 'p.alphabet_number'])
    .where('e.order_id', '=', params.id)
    .distinct()
    .execute();
  const events = [];
  for (const p of eventPupils) {
    for (const e of await pupilEvents(ctx.db, p.pupil_id, labels)) {
      if (e.orderId !== params.id) continue;
      events.push({ ...e, pupilId: p.pupil_id, pupilName: [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' '), birthDate: p.birth_date, fileNo: fileNumber(p.alphabet_letter, p.alphabet_number) });
    }
  }
  return { ...order, events };
};

export const admit: Handler<'movement.admit'> = async (ctx, params) => {
  const done = await admitPupil(await movementContext(ctx), params);
  ctx.audit({
    entity: 'pupil',
    entityId: done.pupilId,
    after: done.returning ? undefined : personalView(done.pupil),
    details: { order: done.order.number, orderCreated: done.order.created, class: done.cls.label, returning: done.returning, fileNo: done.fileNo, eventId: done.eventId },
  });
  return { pupilId: done.pupilId, eventId: done.eventId, orderId: done.order.id, order: done.order.number, fileNo: done.fileNo };
};

export const transfer: Handler<'movement.transfer'> = async (ctx, params) => {
  const done = await transferPupil(await movementContext(ctx), params);
  ctx.audit({ entity: 'pupil', entityId: params.pupilId, before: { class: done.from.label }, after: { class: done.to.label }, details: { order: done.order.number, eventId: done.eventId } });
  const p = await pupilRow(ctx.db, params.pupilId);
  return { pupilId: params.pupilId, eventId: done.eventId, orderId: done.order.id, order: done.order.number, fileNo: fileNumber(p.alphabet_letter, p.alphabet_number) };
};

export const leave: Handler<'movement.leave'> = async (ctx, params) => {
  const done = await leavePupil(await movementContext(ctx), params);
  ctx.audit({ entity: 'pupil', entityId: params.pupilId, details: { order: done.order.number, eventId: done.eventId, reason: params.reason, place: params.place ?? null, revokedCodes: done.revokedCodes } });
  const p = await pupilRow(ctx.db, params.pupilId);
  return { pupilId: params.pupilId, eventId: done.eventId, orderId: done.order.id, order: done.order.number, fileNo: fileNumber(p.alphabet_letter, p.alphabet_number), revokedCodes: done.revokedCodes };
};

export const cancel: Handler<'movement.cancel'> = async (ctx, params) => {
  const done = await cancelEvent(await movementContext(ctx), params, today(ctx));
  ctx.audit({ entity: 'movement_event', entityId: done.cancelled.id, details: { pupilId: done.cancelled.pupil_id, kind: done.cancelled.kind, reason: params.reason, counterEventId: done.counterId } });
  const events = await pupilEvents(ctx.db, done.cancelled.pupil_id, await classLabels(ctx.db));
  return events.find((e) => e.id === done.cancelled.id)!;
};

export const report: Handler<'movement.report'> = async (ctx, params) => movementReport(ctx.db, params.from, params.to);
