import type { consentMethods } from '../../common/api/consents-contract';
import { ApiError } from '../../common/api/errors';
import { consentCoverage } from '../consents/coverage';
import { consentFamily } from '../consents/family';
import { recordConsent, withdrawConsent } from '../consents/record';
import { isCalendarDay } from '../consents/register';
import { defaultTemplates, listTemplates, saveTemplate } from '../consents/templates';
import type { Handler, HandlerContext } from '../context';
import { readSchool } from './school';
import { localDay } from '../../common/domain/local-day';

type Methods = keyof typeof consentMethods;

const today = (ctx: HandlerContext) => localDay(ctx.now());

export const consentHandlers: { [M in Methods]: Handler<M> } = {
  'consentTemplates.list': async (ctx) => ({
    templates: await listTemplates(ctx.db),
    defaults: defaultTemplates(await readSchool(ctx.db)),
  }),

  'consentTemplates.save': async (ctx, params) => {
    const saved = await saveTemplate(ctx.db, params, ctx.session?.user.id ?? null, ctx.now().toISOString());
    const { createdAt: _at, current: _current, ...view } = saved;
    ctx.audit({ entity: 'consent_template', entityId: saved.id, after: view });
    return saved;
  },

  'consents.family': async (ctx, params) => consentFamily(ctx.db, params.pupilId, today(ctx)),

  'consents.record': async (ctx, params) => recordConsent(ctx, params),

  'consents.withdraw': async (ctx, params) => withdrawConsent(ctx, params),

  'consents.scan': async (ctx, params) => {
    const row = await ctx.db.selectFrom('consent').select(['id', 'scan', 'scan_mime', 'scan_name']).where('id', '=', params.consentId).executeTakeFirst();
    if (!row) throw new ApiError('not_found', `Согласие: запись № ${params.consentId} не найдена.`, { consentId: 'нет такого согласия' });
    if (!row.scan) throw new ApiError('not_found', `Согласие № ${params.consentId}: скан не приложен или уничтожен.`, { consentId: 'нет скана' });
    return { fileName: row.scan_name ?? `согласие-${row.id}`, mime: row.scan_mime ?? 'application/octet-stream', contentBase64: Buffer.from(row.scan).toString('base64') };
  },

  'consents.coverage': async (ctx, params) => {
    if (params.date !== undefined && !isCalendarDay(params.date)) {
      throw new ApiError('invalid_params', `Дата: такой даты нет в календаре (${params.date}).`, { date: 'нет такой даты' });
    }
    return consentCoverage(ctx.db, { classId: params.classId }, params.date ?? today(ctx));
  },
};
