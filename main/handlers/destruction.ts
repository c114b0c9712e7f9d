import type { destructionMethods } from '../../common/api/destruction-contract';
import { ERASURE_CLAIMS_KEY } from '../audit/erase';
import { actLog, destroy, dueList, listActs } from '../consents/destruction';
import type { Handler } from '../context';
import { wipeDestroyedPages } from '../consents/destruction-wipe';
import { localDay } from '../../common/domain/local-day';

type Methods = keyof typeof destructionMethods;

export const destructionHandlers: { [M in Methods]: Handler<M> } = {
  'consents.due': async (ctx) => dueList(ctx.db, localDay(ctx.now())),

  'consents.destroy': async (ctx, params) => {
    const done = await destroy(ctx.db, params, ctx.now(), ctx.session?.user.id ?? null);
    // Names of fields and counts only: the destroyed values never enter the log again.
    ctx.audit({
      action: 'Акт об уничтожении персональных данных',
      entity: 'destruction_act',
      entityId: done.actId,
      after: {
        number: done.number,
        actDate: params.actDate,
        subjectKind: done.subject.kind,
        subjectId: done.subject.id,
        consentIds: done.consentIds,
        destroyed: done.destroyed,
        auditEntriesErased: done.auditEntriesErased,
        revokedCodes: done.revokedCodes,
        scansDeleted: done.scansDeleted,
      },
      details: { [ERASURE_CLAIMS_KEY]: done.erasures },
    });
    ctx.audit({ action: 'Уничтожение персональных данных', entity: done.subject.kind, entityId: done.subject.id, details: { act: done.title, actId: done.actId, destroyed: done.destroyed } });
    ctx.afterCommit(() => wipeDestroyedPages(ctx.app));
    return { actId: done.actId, number: done.number, destroyed: done.destroyed, auditEntriesErased: done.auditEntriesErased };
  },

  'consents.acts': async (ctx) => ({ acts: await listActs(ctx.db) }),

  'consents.actLog': async (ctx, params) => actLog(ctx.db, params.actId),
};
