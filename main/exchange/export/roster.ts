import { classLabel, comparePeople } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import { resolveScope, scopedPupils, type PupilFilter } from './scope';
import type { ExportColumn, ExportSheet, ExportValue } from './sheet-writer';
import { documentKindText, phoneText, snilsText } from './values';

/**
 * The `roster` export: «Список обучающихся» with the columns of the `roster` import
 * (formats.md), so a list made here loads into the regional system and back into the app.
 */

/** Guardians written per pupil, «Представитель 1: …», «Представитель 2: …». */
export const ROSTER_GUARDIANS = 2;

const PUPIL_COLUMNS: ExportColumn[] = [
  { header: 'Класс', kind: 'text' },
  { header: 'Фамилия', kind: 'text' },
  { header: 'Имя', kind: 'text' },
  { header: 'Отчество', kind: 'text' },
  { header: 'Дата рождения', kind: 'date' },
  { header: 'Пол', kind: 'text' },
  { header: 'СНИЛС', kind: 'code' },
  { header: 'Вид документа', kind: 'text' },
  { header: 'Серия документа', kind: 'code' },
  { header: 'Номер документа', kind: 'code' },
  { header: 'Дата выдачи документа', kind: 'date' },
  { header: 'Кем выдан', kind: 'text' },
  { header: 'Адрес регистрации', kind: 'text' },
  { header: 'Адрес проживания', kind: 'text' },
  { header: 'Телефон', kind: 'code' },
  { header: 'E-mail', kind: 'text' },
  { header: 'Дата зачисления', kind: 'date' },
  { header: '№ приказа о зачислении', kind: 'code' },
];

const GUARDIAN_FIELDS: ExportColumn[] = [
  { header: 'Фамилия', kind: 'text' },
  { header: 'Имя', kind: 'text' },
  { header: 'Отчество', kind: 'text' },
  { header: 'Степень родства', kind: 'text' },
  { header: 'Телефон', kind: 'code' },
  { header: 'E-mail', kind: 'text' },
  { header: 'СНИЛС', kind: 'code' },
];

export const ROSTER_COLUMNS: readonly ExportColumn[] = [
  ...PUPIL_COLUMNS,
  ...Array.from({ length: ROSTER_GUARDIANS }, (_, n) => GUARDIAN_FIELDS.map((f) => ({ header: `Представитель ${n + 1}: ${f.header}`, kind: f.kind }))).flat(),
];

export interface RosterExport {
  sheet: ExportSheet;
  rows: number;
  /** For the file name: the class label or the school year. */
  scopeLabel: string;
  day: string;
}

interface Admission {
  date: string;
  order: string | null;
}

/** The latest standing admission of each pupil (a cancelled one is not an admission). */
async function admissions(db: Db, pupilIds: readonly number[]): Promise<Map<number, Admission>> {
  const out = new Map<number, Admission>();
  if (pupilIds.length === 0) return out;
  const rows = await db
    .selectFrom('movement_event as e')
    .leftJoin('pupil_order as o', 'o.id', 'e.order_id')
    .select(['e.pupil_id', 'e.event_date', 'o.number'])
    .where('e.kind', '=', 'admission')
    .where('e.pupil_id', 'in', pupilIds)
    .where((w) => w.not(w.exists(w.selectFrom('movement_event as c').select('c.id').whereRef('c.cancels_event_id', '=', 'e.id'))))
    .orderBy('e.event_date')
    .orderBy('e.id')
    .execute();
  for (const r of rows) out.set(r.pupil_id, { date: r.event_date, order: r.number });
  return out;
}

async function guardiansOf(db: Db, pupilIds: readonly number[]): Promise<Map<number, ExportValue[][]>> {
  const out = new Map<number, ExportValue[][]>();
  if (pupilIds.length === 0) return out;
  const rows = await db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .select(['pg.pupil_id', 'pg.kinship', 'g.last_name', 'g.first_name', 'g.middle_name', 'g.phone', 'g.email', 'g.snils'])
    .where('pg.pupil_id', 'in', pupilIds)
    .orderBy('pg.pupil_id')
    .orderBy('g.id')
    .execute();
  for (const g of rows) {
    const list = out.get(g.pupil_id) ?? [];
    list.push([g.last_name, g.first_name, g.middle_name, g.kinship, phoneText(g.phone), g.email, snilsText(g.snils)]);
    out.set(g.pupil_id, list);
  }
  return out;
}

/** SQLite limits the number of bound values in one statement; ids go in slices. */
async function inSlices<T>(ids: readonly number[], load: (slice: number[]) => Promise<Map<number, T>>): Promise<Map<number, T>> {
  const out = new Map<number, T>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const [k, v] of await load(ids.slice(i, i + 500))) out.set(k, v);
  }
  return out;
}

export async function rosterExport(db: Db, today: string, filter: PupilFilter): Promise<RosterExport> {
  const scope = await resolveScope(db, today, filter.classId);
  const scoped = await scopedPupils(db, scope, filter);
  const ids = scoped.map((s) => s.pupilId);
  const classes = await db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('year_id', '=', scope.year.id).execute();
  const classOf = new Map(classes.map((c) => [c.id, c]));
  const pupils = await inSlices(ids, async (slice) => {
    const rows = slice.length ? await db.selectFrom('pupil').selectAll().where('id', 'in', slice).execute() : [];
    return new Map(rows.map((p) => [p.id, p]));
  });
  const admitted = await inSlices(ids, (slice) => admissions(db, slice));
  const guardians = await inSlices(ids, (slice) => guardiansOf(db, slice));

  const ordered = scoped
    .map((s) => ({ ...s, pupil: pupils.get(s.pupilId)!, cls: classOf.get(s.classId)! }))
    .sort(
      (a, b) =>
        a.cls.parallel - b.cls.parallel ||
        a.cls.letter.localeCompare(b.cls.letter, 'ru') ||
        comparePeople(
          { lastName: a.pupil.last_name, firstName: a.pupil.first_name, middleName: a.pupil.middle_name },
          { lastName: b.pupil.last_name, firstName: b.pupil.first_name, middleName: b.pupil.middle_name },
        ),
    );

  const rows = ordered.map(({ pupil: p, cls }) => {
    const admission = admitted.get(p.id);
    const own: ExportValue[] = [
      classLabel(cls.parallel, cls.letter),
      p.last_name,
      p.first_name,
      p.middle_name,
      p.birth_date,
      p.gender,
      snilsText(p.snils),
      documentKindText(p.doc_kind),
      p.doc_series,
      p.doc_number,
      p.doc_issued_on,
      p.doc_issued_by,
      p.reg_address,
      p.live_address,
      phoneText(p.phone),
      p.email,
      admission?.date ?? null,
      admission?.order ?? null,
    ];
    const family = guardians.get(p.id) ?? [];
    const guardianCells = Array.from({ length: ROSTER_GUARDIANS }, (_, n) => family[n] ?? GUARDIAN_FIELDS.map(() => null)).flat();
    return [...own, ...guardianCells];
  });

  const only = scope.classId !== null ? classOf.get(scope.classId) : undefined;
  return {
    sheet: { name: 'Список обучающихся', columns: ROSTER_COLUMNS, rows },
    rows: rows.length,
    scopeLabel: only ? classLabel(only.parallel, only.letter) : scope.year.name.replace('/', '-'),
    day: scope.day,
  };
}
