import type { ConsentPurpose } from '../../common/api/consents';
import type { Db } from '../../db/connection';
import type { HandlerContext } from '../context';

/**
 * A refusal or withdrawal that takes away the right to an access code revokes the active codes
 * at once (a code already handed out must stop working the day the family says no):
 * electronic results or the guardian's own data → every code of that guardian; the pupil's data
 * → the pupil's own code. Distribution changes nothing here.
 */

const REASONS: Partial<Record<ConsentPurpose, string>> = {
  electronic_results: 'отказ от электронного доступа',
  guardian_data: 'нет согласия на обработку данных',
  pupil_data: 'нет согласия на обработку данных',
};

export async function revokeCodesFor(
  ctx: HandlerContext,
  db: Db,
  purpose: ConsentPurpose,
  subject: { pupilId: number | null; guardianId: number | null },
): Promise<number> {
  const reason = REASONS[purpose];
  if (!reason) return 0;
  let q = db.selectFrom('access_code').select(['id', 'status', 'holder_kind', 'pupil_id', 'guardian_id']).where('status', 'in', ['new', 'issued']);
  if (purpose === 'pupil_data') {
    if (subject.pupilId === null) return 0;
    q = q.where('holder_kind', '=', 'pupil').where('pupil_id', '=', subject.pupilId);
  } else {
    if (subject.guardianId === null) return 0;
    q = q.where('guardian_id', '=', subject.guardianId);
  }
  const codes = await q.execute();
  if (codes.length === 0) return 0;
  const at = ctx.now().toISOString();
  await db
    .updateTable('access_code')
    .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
    .where(
      'id',
      'in',
      codes.map((c) => c.id),
    )
    .execute();
  for (const c of codes) {
    // The code itself never goes into the log: holder and state only.
    ctx.audit({
      action: 'Отзыв кода доступа',
      entity: 'access_code',
      entityId: c.id,
      before: { status: c.status },
      after: { holderKind: c.holder_kind, pupilId: c.pupil_id, guardianId: c.guardian_id, status: 'revoked', revokeReason: reason },
    });
  }
  return codes.length;
}
