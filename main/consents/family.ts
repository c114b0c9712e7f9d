import { PUPIL_SIGNS_FROM_AGE, type ConsentPurpose } from '../../common/api/consents';
import type { ConsentFamily, ConsentHistoryRow, ConsentPurposeState } from '../../common/api/consents-contract';
import { ApiError } from '../../common/api/errors';
import { ageOn } from '../../common/domain/person';
import { comparePeople } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { personName } from './register';

/**
 * The consent card of one family: the pupil's consents (their data, distribution), each linked
 * guardian's own (their data, electronic results), and the whole history of decisions. Scans are
 * never loaded here, only whether there is one.
 */

const PUPIL_PURPOSES: ConsentPurpose[] = ['pupil_data', 'distribution'];
const GUARDIAN_PURPOSES: ConsentPurpose[] = ['guardian_data', 'electronic_results'];
const KINSHIP_ORDER = ['мать', 'отец', 'опекун', 'попечитель', 'иное'];

type Row = Awaited<ReturnType<typeof consentRows>>[number];

async function consentRows(db: Db, pupilId: number, guardianIds: number[]) {
  return db
    .selectFrom('consent as c')
    .leftJoin('consent_template as t', 't.id', 'c.template_id')
    .leftJoin('guardian as s', 's.id', 'c.signed_by_guardian_id')
    .select((eb) => [
      'c.id',
      'c.subject_kind',
      'c.pupil_id',
      'c.guardian_id',
      'c.purpose',
      'c.status',
      'c.decided_on',
      'c.signed_by_pupil',
      'c.categories_json',
      'c.note',
      'c.destroy_due',
      'c.destruction_act_id',
      'c.created_at',
      't.version',
      's.last_name as s_last',
      's.first_name as s_first',
      's.middle_name as s_middle',
      eb('c.scan', 'is not', null).as('has_scan'),
    ])
    .where((w) =>
      w.or([
        w.and([w('c.subject_kind', '=', 'pupil'), w('c.pupil_id', '=', pupilId)]),
        ...(guardianIds.length > 0 ? [w.and([w('c.subject_kind', '=', 'guardian'), w('c.guardian_id', 'in', guardianIds)])] : []),
      ]),
    )
    .orderBy('c.decided_on', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
}

const signerName = (r: Row) => (r.s_last ? personName({ last_name: r.s_last, first_name: r.s_first ?? '', middle_name: r.s_middle }) : null);
const categoriesOf = (json: string | null) => (json ? (JSON.parse(json) as string[]) : null);

function stateOf(purpose: ConsentPurpose, rows: Row[]): ConsentPurposeState {
  // Rows come newest first: the first one of the purpose is the decision in force.
  const r = rows.find((x) => x.purpose === purpose);
  return {
    purpose,
    status: r?.status ?? null,
    decidedOn: r?.decided_on ?? null,
    consentId: r?.id ?? null,
    templateVersion: r?.version ?? null,
    signedBy: r ? signerName(r) : null,
    signedByPupil: r?.signed_by_pupil === 1,
    categories: r ? categoriesOf(r.categories_json) : null,
    hasScan: !!r?.has_scan,
    destroyDue: r?.destroy_due ?? null,
    destroyed: r?.destruction_act_id !== null && r?.destruction_act_id !== undefined,
  };
}

export async function consentFamily(db: Db, pupilId: number, today: string): Promise<ConsentFamily> {
  const pupil = await db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'data_destroyed_at']).where('id', '=', pupilId).executeTakeFirst();
  if (!pupil) throw new ApiError('not_found', `Обучающийся: запись № ${pupilId} не найдена. Выберите обучающегося из списка.`, { pupilId: 'нет такого обучающегося' });
  const guardians = (
    await db
      .selectFrom('pupil_guardian as pg')
      .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
      .select(['g.id', 'g.last_name', 'g.first_name', 'g.middle_name', 'pg.kinship'])
      .where('pg.pupil_id', '=', pupilId)
      .execute()
  ).sort(
    (a, b) =>
      KINSHIP_ORDER.indexOf(a.kinship) - KINSHIP_ORDER.indexOf(b.kinship) ||
      comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) ||
      a.id - b.id,
  );
  const rows = await consentRows(db, pupilId, guardians.map((g) => g.id));
  const pupilName = personName(pupil);
  const pupilRows = rows.filter((r) => r.subject_kind === 'pupil');
  const guardianName = new Map(guardians.map((g) => [g.id, personName(g)]));
  const age = ageOn(pupil.birth_date, today);
  const history: ConsentHistoryRow[] = rows.map((r) => ({
    consentId: r.id,
    purpose: r.purpose,
    subject: r.subject_kind === 'pupil' ? pupilName : (guardianName.get(r.guardian_id as number) ?? ''),
    status: r.status,
    decidedOn: r.decided_on,
    templateVersion: r.version ?? null,
    signedBy: signerName(r),
    signedByPupil: r.signed_by_pupil === 1,
    hasScan: !!r.has_scan,
    note: r.note,
    destroyDue: r.destroy_due,
    destructionActId: r.destruction_act_id,
    recordedAt: r.created_at,
  }));
  return {
    pupilId,
    pupil: pupilName,
    age,
    pupilSigns: age >= PUPIL_SIGNS_FROM_AGE,
    dataDestroyedAt: pupil.data_destroyed_at,
    subjects: [
      { kind: 'pupil', pupilId, guardianId: null, name: pupilName, kinship: null, purposes: PUPIL_PURPOSES.map((p) => stateOf(p, pupilRows)) },
      ...guardians.map((g) => ({
        kind: 'guardian' as const,
        pupilId,
        guardianId: g.id,
        name: personName(g),
        kinship: g.kinship,
        purposes: GUARDIAN_PURPOSES.map((p) => stateOf(p, rows.filter((r) => r.subject_kind === 'guardian' && r.guardian_id === g.id))),
      })),
    ],
    history,
  };
}
