import { localDay } from '../../common/domain/local-day';
import type { Handler, HandlerContext } from '../context';
import { alreadyClosed, closeYear } from '../year/close/execute';
import { codesRevokedByClose, codesWarning } from '../year/close/codes';
import { decide } from '../year/close/decide';
import { loadCloseInput } from '../year/close/load';
import { planClose, previewOf } from '../year/close/plan';
import { readSchool } from './school';

/** The year close: the preview (checklist, decisions, next classes, orders), decisions, the close. */

const today = (ctx: HandlerContext) => localDay(ctx.now());

export const closePreview: Handler<'year.closePreview'> = async (ctx, params) => {
  const input = await loadCloseInput(ctx.db, { yearId: params.yearId, orderDate: params.orderDate, today: today(ctx), orderSuffix: ctx.app.settings.orderSuffix });
  const plan = planClose(input);
  const preview = previewOf(plan);
  if (!input.year.closed) {
    const codes = codesWarning((await codesRevokedByClose(ctx.db, plan)).length);
    return codes ? { ...preview, warnings: [...preview.warnings, codes] } : preview;
  }
  // A closed year shows what its close did: the orders it issued, nothing left in the way.
  const done = await alreadyClosed(ctx.db, input.year);
  return { ...preview, orderDate: done.orders[0]?.date ?? preview.orderDate, blockers: [], orders: done.orders.map(({ id: _id, ...order }) => order) };
};

export const yearDecide: Handler<'year.decide'> = async (ctx, params) => {
  const { row, before } = await decide(ctx.db, {
    yearId: params.yearId,
    pupilId: params.pupilId,
    decision: params.decision,
    subjectIds: params.subjectIds,
    today: today(ctx),
    orderSuffix: ctx.app.settings.orderSuffix,
    userId: ctx.session?.user.id ?? null,
    at: ctx.now().toISOString(),
  });
  ctx.audit({
    entity: 'year_decision',
    entityId: `${params.yearId}:${params.pupilId}`,
    before,
    after: params.decision === null ? null : { decision: params.decision, subjectIds: params.subjectIds },
    details: { yearId: params.yearId, pupilId: params.pupilId, decision: params.decision },
  });
  return row;
};

export const yearClose: Handler<'year.close'> = async (ctx, params) => {
  const school = await readSchool(ctx.db);
  const { result, counts } = await closeYear(ctx.db, {
    yearId: params.yearId,
    orderDate: params.orderDate,
    today: today(ctx),
    at: ctx.now(),
    userId: ctx.session?.user.id ?? null,
    orderSuffix: ctx.app.settings.orderSuffix,
    directorName: school.directorName || null,
    snapshotOf: ctx.app.opened.path === ':memory:' ? null : ctx.app.opened.path,
  });
  ctx.audit({
    entity: 'school_year',
    entityId: params.yearId,
    details: { year: result.year, changed: result.changed, totals: result.totals, created: counts, orderIds: result.orders.map((o) => o.id), nextYearId: result.nextYear.id },
  });
  return result;
};
