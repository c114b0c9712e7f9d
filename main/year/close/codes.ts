import { plural } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import type { ClosePlan } from './plan';

/**
 * Access codes of the pupils who leave at the close (graduates), as on any leaving (see
 * main/contingent/access-codes.ts): the graduate's own active codes, and every active code of a
 * guardian who will have no child in the school after the close. Worked out in memory from a
 * few set queries, so that the preview and the close (one function, the same answer) stay fast
 * on a 3,000-pupil year.
 */

/** revoke_reason of a code the close revoked; «reopen» also recognises its own revocations by it. */
export const CLOSE_REVOKE_REASON = 'выпуск обучающегося';

export interface CodeToRevoke {
  id: number;
  status: 'new' | 'issued';
  revokedAt: string | null;
  revokeReason: string | null;
}

export async function codesRevokedByClose(db: Db, plan: ClosePlan): Promise<CodeToRevoke[]> {
  const leaving = new Set(plan.pupils.filter((p) => p.decision === 'graduated').map((p) => p.pupilId));
  if (leaving.size === 0) return [];

  // Who is in the school after the close: pupils the close moves on, and anyone with a
  // membership the close does not end that is still open on the next year's first day (an
  // admission for the new year made in the spring, a graduate of the 9th admitted to the 10th).
  const enrolled = new Set(plan.pupils.filter((p) => p.next !== null).map((p) => p.pupilId));
  const endedByClose = new Set(plan.pupils.map((p) => p.membershipId));
  const open = await db
    .selectFrom('class_membership')
    .select(['id', 'pupil_id'])
    .where((w) => w.or([w('to_date', 'is', null), w('to_date', '>=', plan.input.nextYear.startsOn)]))
    .execute();
  for (const m of open) if (!endedByClose.has(m.id)) enrolled.add(m.pupil_id);
  for (const id of enrolled) leaving.delete(id);
  if (leaving.size === 0) return [];

  const links = await db.selectFrom('pupil_guardian').select(['pupil_id', 'guardian_id']).execute();
  const guardiansOfLeavers = new Set<number>();
  const guardiansKept = new Set<number>();
  for (const l of links) {
    if (leaving.has(l.pupil_id)) guardiansOfLeavers.add(l.guardian_id);
    if (enrolled.has(l.pupil_id)) guardiansKept.add(l.guardian_id);
  }

  const active = await db
    .selectFrom('access_code')
    .select(['id', 'holder_kind', 'pupil_id', 'guardian_id', 'status', 'revoked_at', 'revoke_reason'])
    .where('status', 'in', ['new', 'issued'])
    .orderBy('id')
    .execute();
  const out: CodeToRevoke[] = [];
  for (const c of active) {
    const own = c.holder_kind === 'pupil' && leaving.has(c.pupil_id);
    const guardian = c.holder_kind === 'guardian' && c.guardian_id !== null && guardiansOfLeavers.has(c.guardian_id) && !guardiansKept.has(c.guardian_id);
    if (!own && !guardian) continue;
    if (c.status !== 'new' && c.status !== 'issued') continue;
    out.push({ id: c.id, status: c.status, revokedAt: c.revoked_at, revokeReason: c.revoke_reason });
  }
  return out;
}

/** The preview's warning: how many codes the close will revoke (null when none). */
export function codesWarning(count: number): { class: null; reason: string } | null {
  if (count === 0) return null;
  const codes = `${count} ${plural(count, ['действующий код', 'действующих кода', 'действующих кодов'])} доступа к электронному дневнику`;
  return {
    class: null,
    // No «: » in it: the checklist reads «names: kind» out of warnings that have one.
    reason: `${codes} у выпускников и у их законных представителей без других детей в школе ${count === 1 ? 'будет отозван' : 'будут отозваны'} при закрытии года (причина «${CLOSE_REVOKE_REASON}»)`,
  };
}
