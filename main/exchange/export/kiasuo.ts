import JSZip from 'jszip';
import { classLabel, comparePeople } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import { resolveScope, scopedPupils } from './scope';
import { snilsText } from './values';

/**
 * The `kiasuo` export: the register (classes, periods, pupils) as a КИАСУО data package, a ZIP
 * of school_classes.json, study_periods.json and students.json shaped as formats.md describes.
 *
 * Ids: a record that came from КИАСУО keeps the id it has there (table external_ref, system
 * 'kiasuo', entity = the app's table name), so the regional system recognises it; any other
 * record is named by the app's own id. Ids are always strings, never JSON numbers, so a long
 * one keeps every digit.
 */

export const KIASUO_SYSTEM = 'kiasuo';
/** `external_ref.entity` of the records the package carries (the import writes the same). */
export const KIASUO_ENTITIES = { class: 'school_class', period: 'period', pupil: 'pupil' } as const;

export interface KiasuoClass {
  id: string;
  name: string;
  ou: string;
  study_year: string;
}
export interface KiasuoPeriod {
  id: string;
  text: string;
  from: string;
  to: string;
}
export interface KiasuoStudent {
  id: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  snils: string | null;
  gender: 'male' | 'female';
  school_class: string;
}

export interface KiasuoExport {
  zip: Buffer;
  rows: number;
  yearName: string;
  day: string;
}

async function externalIds(db: Db, entity: string): Promise<Map<number, string>> {
  const rows = await db.selectFrom('external_ref').select(['entity_id', 'external_id']).where('system', '=', KIASUO_SYSTEM).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [r.entity_id, r.external_id]));
}

function idOf(refs: ReadonlyMap<number, string>, id: number): string {
  return refs.get(id) ?? String(id);
}

export async function kiasuoPackage(db: Db, today: string, classId: number | undefined): Promise<KiasuoExport> {
  const scope = await resolveScope(db, today, classId);
  const school = await db.selectFrom('school').select(['name', 'short_name']).executeTakeFirst();
  const ou = school ? school.short_name || school.name : '';
  const [classRefs, periodRefs, pupilRefs] = await Promise.all([
    externalIds(db, KIASUO_ENTITIES.class),
    externalIds(db, KIASUO_ENTITIES.period),
    externalIds(db, KIASUO_ENTITIES.pupil),
  ]);

  let classQuery = db.selectFrom('school_class').select(['id', 'parallel', 'letter', 'period_scheme']).where('year_id', '=', scope.year.id);
  if (scope.classId !== null) classQuery = classQuery.where('id', '=', scope.classId);
  const classRows = await classQuery.orderBy('parallel').orderBy('letter').execute();
  const classes: KiasuoClass[] = classRows.map((c) => ({ id: idOf(classRefs, c.id), name: classLabel(c.parallel, c.letter), ou, study_year: scope.year.name }));

  // The periods of the schemes the exported classes follow (quarters, halves, trimesters).
  const schemes = [...new Set(classRows.map((c) => c.period_scheme))];
  const periodRows = schemes.length
    ? await db.selectFrom('period').selectAll().where('year_id', '=', scope.year.id).where('scheme', 'in', schemes).orderBy('starts_on').orderBy('number').execute()
    : [];
  const periods: KiasuoPeriod[] = periodRows.map((p) => ({ id: idOf(periodRefs, p.id), text: p.name, from: p.starts_on, to: p.ends_on }));

  const scoped = await scopedPupils(db, scope, {});
  const classOf = new Map(scoped.map((s) => [s.pupilId, s.classId]));
  const pupilRows = [];
  for (let i = 0; i < scoped.length; i += 500) {
    const slice = scoped.slice(i, i + 500).map((s) => s.pupilId);
    pupilRows.push(...(await db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'snils', 'gender']).where('id', 'in', slice).execute()));
  }
  const classOrder = new Map(classRows.map((c, i) => [c.id, i]));
  pupilRows.sort(
    (a, b) =>
      (classOrder.get(classOf.get(a.id)!) ?? 0) - (classOrder.get(classOf.get(b.id)!) ?? 0) ||
      comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }),
  );
  const students: KiasuoStudent[] = pupilRows.map((p) => ({
    id: idOf(pupilRefs, p.id),
    last_name: p.last_name,
    first_name: p.first_name,
    middle_name: p.middle_name,
    birth_date: p.birth_date,
    snils: snilsText(p.snils),
    gender: p.gender === 'ж' ? 'female' : 'male',
    school_class: idOf(classRefs, classOf.get(p.id)!),
  }));

  const zip = new JSZip();
  const files: [string, unknown][] = [
    ['school_classes.json', classes],
    ['study_periods.json', periods],
    ['students.json', students],
  ];
  for (const [name, value] of files) zip.file(name, `${JSON.stringify(value, null, 1)}\n`);
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  return { zip: bytes, rows: students.length, yearName: scope.year.name, day: scope.day };
}
