import type { ConsentPurpose, ConsentStatus } from '../../common/api/consents';
import type { Db } from '../../db/connection';

/**
 * The latest decision on a consent, per subject and purpose. Consent rows are decisions in time
 * (given, refused, withdrawn); the newest by date, then by entry, is the one in force.
 */
export async function latestConsentStatus(
  db: Db,
  subject: { pupilId?: number | null; guardianId?: number | null },
  purpose: ConsentPurpose,
): Promise<ConsentStatus | null> {
  let q = db.selectFrom('consent').select('status').where('purpose', '=', purpose);
  if (subject.guardianId !== undefined && subject.guardianId !== null) q = q.where('guardian_id', '=', subject.guardianId);
  else if (subject.pupilId !== undefined && subject.pupilId !== null) q = q.where('pupil_id', '=', subject.pupilId).where('subject_kind', '=', 'pupil');
  else return null;
  const row = await q.orderBy('decided_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.status ?? null;
}

/**
 * Why a holder gets no access code, or null when they may have one. A guardian who refused (or
 * withdrew) electronic results, or whose own data may not be processed, gets none; nor does a
 * pupil whose data may not be processed. The reasons are shown on screen as they are.
 */
export async function codeBlockReason(db: Db, holder: { kind: 'pupil' | 'guardian'; pupilId: number; guardianId: number | null }): Promise<string | null> {
  if (holder.kind === 'guardian' && holder.guardianId !== null) {
    const electronic = await latestConsentStatus(db, { guardianId: holder.guardianId }, 'electronic_results');
    if (electronic === 'refused') return 'отказ от получения результатов в электронной форме';
    if (electronic === 'withdrawn') return 'согласие на электронный дневник отозвано';
    const own = await latestConsentStatus(db, { guardianId: holder.guardianId }, 'guardian_data');
    if (own !== 'given') return own === null ? 'нет согласия на обработку данных представителя' : 'согласие на обработку данных представителя не действует';
    return null;
  }
  const pupil = await latestConsentStatus(db, { pupilId: holder.pupilId }, 'pupil_data');
  if (pupil !== 'given') return pupil === null ? 'нет согласия на обработку данных обучающегося' : 'согласие на обработку данных обучающегося не действует';
  return null;
}
