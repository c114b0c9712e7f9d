import type { Db } from '../../db/connection';

/**
 * When a pupil leaves, their own access codes to the e-journal stop working, and so do the codes
 * of guardians who have no other child in the school on that day. Issue 4 brings the codes
 * themselves (import, slips, re-issue); this is the hook the leaving records call.
 */
export async function revokeCodesOfLeaver(trx: Db, pupilId: number, leaveDate: string, at: string): Promise<number> {
  const reason = 'выбытие обучающегося';
  const active = ['new', 'issued'] as const;
  const own = await trx
    .updateTable('access_code')
    .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
    .where('pupil_id', '=', pupilId)
    .where('holder_kind', '=', 'pupil')
    .where('status', 'in', active)
    .executeTakeFirst();
  let revoked = Number(own.numUpdatedRows);

  const guardians = await trx.selectFrom('pupil_guardian').select('guardian_id').where('pupil_id', '=', pupilId).execute();
  for (const { guardian_id: guardianId } of guardians) {
    const otherChildEnrolled = await trx
      .selectFrom('pupil_guardian as pg')
      .innerJoin('class_membership as m', 'm.pupil_id', 'pg.pupil_id')
      .select('pg.pupil_id')
      .where('pg.guardian_id', '=', guardianId)
      .where('pg.pupil_id', '!=', pupilId)
      .where('m.from_date', '<=', leaveDate)
      .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', leaveDate)]))
      .limit(1)
      .executeTakeFirst();
    if (otherChildEnrolled) continue;
    const result = await trx
      .updateTable('access_code')
      .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
      .where('guardian_id', '=', guardianId)
      .where('holder_kind', '=', 'guardian')
      .where('status', 'in', active)
      .executeTakeFirst();
    revoked += Number(result.numUpdatedRows);
  }
  return revoked;
}
