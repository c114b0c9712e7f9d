import { PUPIL_SIGNS_FROM_AGE, type ConsentCoverage, type ConsentPurpose, type CoverageClass, type CoverageMissing, type CoverageRefused } from '../../common/api/consents';
import { ageOn } from '../../common/domain/person';
import { classLabel, comparePeople } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { classById } from '../contingent/classes';
import { latestDecisions, personName, type LatestDecisions } from './register';
import { pupilsOfClassOn } from '../codes/codes';

/**
 * Who lacks which consent, class by class, for the class teacher: every pupil needs the consent
 * to process their data (signed by the pupil too from 14), every linked guardian needs the
 * consent to process their own data and a decision on electronic results. Distribution is
 * optional and never "missing". Guardians who refused electronic results are listed apart: their
 * family gets printed extracts instead of the e-diary.
 */

const MISSING_REASON: Record<'none' | 'refused' | 'withdrawn', string> = {
  none: 'согласие не оформлено',
  refused: 'отказ от согласия',
  withdrawn: 'согласие отозвано',
};

/** The classes of the school year containing the day (or the latest year started before it). */
async function classesOfYearOn(db: Db, day: string): Promise<{ id: number; parallel: number; letter: string }[]> {
  const year =
    (await db.selectFrom('school_year').select('id').where('starts_on', '<=', day).where('ends_on', '>=', day).executeTakeFirst()) ??
    (await db.selectFrom('school_year').select('id').where('starts_on', '<=', day).orderBy('starts_on', 'desc').limit(1).executeTakeFirst());
  if (!year) return [];
  return db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('year_id', '=', year.id).orderBy('parallel').orderBy('letter').execute();
}

interface PupilOfClass {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
}

async function pupilsOn(db: Db, classId: number, day: string): Promise<PupilOfClass[]> {
  const rows = await pupilsOfClassOn(db, classId, day);
  // A pupil moved within the class on the same day would appear twice; one row each.
  const unique = new Map(rows.map((r) => [r.id, { id: r.id, lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, birthDate: r.birth_date }]));
  return [...unique.values()].sort((a, b) => comparePeople(a, b) || a.id - b.id);
}

async function guardiansOf(db: Db, pupilIds: number[]) {
  if (pupilIds.length === 0) return new Map<number, { id: number; name: string; lastName: string; firstName: string; middleName: string | null }[]>();
  const rows = await db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .select(['pg.pupil_id', 'g.id', 'g.last_name', 'g.first_name', 'g.middle_name'])
    .where('pg.pupil_id', 'in', pupilIds)
    .execute();
  const out = new Map<number, { id: number; name: string; lastName: string; firstName: string; middleName: string | null }[]>();
  for (const r of rows) {
    const list = out.get(r.pupil_id) ?? [];
    list.push({ id: r.id, name: personName(r), lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name });
    out.set(r.pupil_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => comparePeople(a, b) || a.id - b.id);
  return out;
}

function classCoverage(cls: { id: number; parallel: number; letter: string }, pupils: PupilOfClass[], guardians: Awaited<ReturnType<typeof guardiansOf>>, latest: LatestDecisions, today: string): CoverageClass {
  const missing: CoverageMissing[] = [];
  const refusedElectronic: CoverageRefused[] = [];
  const lack = (pupilId: number, personKind: 'pupil' | 'guardian', personId: number, person: string, purpose: ConsentPurpose, reason: string) =>
    missing.push({ pupilId, personId, personKind, person, purpose, reason });
  for (const p of pupils) {
    const pupilName = personName({ last_name: p.lastName, first_name: p.firstName, middle_name: p.middleName });
    const own = latest.pupil(p.id, 'pupil_data');
    if (own?.status !== 'given') lack(p.id, 'pupil', p.id, pupilName, 'pupil_data', MISSING_REASON[own?.status ?? 'none']);
    else if (!own.signedByPupil && ageOn(p.birthDate, today) >= PUPIL_SIGNS_FROM_AGE) {
      lack(p.id, 'pupil', p.id, pupilName, 'pupil_data', `нет подписи обучающегося (${PUPIL_SIGNS_FROM_AGE} лет и старше)`);
    }
    for (const g of guardians.get(p.id) ?? []) {
      const data = latest.guardian(g.id, 'guardian_data');
      if (data?.status !== 'given') lack(p.id, 'guardian', g.id, g.name, 'guardian_data', MISSING_REASON[data?.status ?? 'none']);
      const electronic = latest.guardian(g.id, 'electronic_results');
      if (!electronic) lack(p.id, 'guardian', g.id, g.name, 'electronic_results', 'нет решения о получении результатов в электронной форме');
      else if (electronic.status !== 'given') {
        refusedElectronic.push({ pupilId: p.id, guardianId: g.id, guardian: g.name, pupil: pupilName, status: electronic.status, decidedOn: electronic.decidedOn });
      }
    }
  }
  return { classId: cls.id, class: classLabel(cls.parallel, cls.letter), pupils: pupils.length, missing, refusedElectronic };
}

/**
 * Coverage of the required consents on `today` (YYYY-MM-DD): one class, or every class of the
 * school year containing today, in class order; pupils in alphabetical order.
 */
export async function consentCoverage(db: Db, params: { classId?: number | undefined }, today: string): Promise<ConsentCoverage> {
  const classes = params.classId !== undefined ? [await classById(db, params.classId)] : await classesOfYearOn(db, today);
  const perClass = await Promise.all(classes.map(async (c) => ({ cls: c, pupils: await pupilsOn(db, c.id, today) })));
  const pupilIds = perClass.flatMap((c) => c.pupils.map((p) => p.id));
  const guardians = await guardiansOf(db, pupilIds);
  const guardianIds = [...new Set([...guardians.values()].flatMap((list) => list.map((g) => g.id)))];
  const latest = await latestDecisions(db, { pupilIds, guardianIds }, today);
  return { date: today, classes: perClass.map(({ cls, pupils }) => classCoverage(cls, pupils, guardians, latest, today)) };
}
