import type { Db } from '../../db/connection';

/**
 * Records the consents a family must give before codes are handed out: the pupil's data for
 * every pupil, and for every guardian their own data and electronic results — except where a
 * decision on electronic results is already recorded (a refusal stays a refusal).
 */
export async function giveAllConsents(db: Db, on: string): Promise<void> {
  const pupils = await db.selectFrom('pupil').select('id').execute();
  for (const p of pupils) {
    await db.insertInto('consent').values({ subject_kind: 'pupil', pupil_id: p.id, purpose: 'pupil_data', status: 'given', decided_on: on }).execute();
  }
  const guardians = await db.selectFrom('guardian').select('id').execute();
  for (const g of guardians) {
    await db.insertInto('consent').values({ subject_kind: 'guardian', guardian_id: g.id, purpose: 'guardian_data', status: 'given', decided_on: on }).execute();
    const decided = await db.selectFrom('consent').select('id').where('guardian_id', '=', g.id).where('purpose', '=', 'electronic_results').executeTakeFirst();
    if (!decided) {
      await db.insertInto('consent').values({ subject_kind: 'guardian', guardian_id: g.id, purpose: 'electronic_results', status: 'given', decided_on: on }).execute();
    }
  }
}
