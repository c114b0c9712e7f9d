import { searchKey } from '../../../common/domain/russian';
import type { ImportConflict, ImportWarning, RejectedRow } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';
import { KIASUO_ENTITIES, KIASUO_SYSTEM } from '../export/kiasuo';
import { KIASUO_FILES, parseKiasuoPackage } from '../layouts/kiasuo';
import { upsertFinalMark } from './final-marks';
import type { Importer } from './types';
import { ClassFinder, Counts, LessonFinder, classMembers, fullName, nameKey, subjectMap, subjectNotFound, writeJournalCells, yearByName, type AttendanceCode, type YearRow } from './journal-common';

/**
 * The КИАСУО package (formats.md, `kiasuo`). КИАСУО is the register's source for classes and
 * periods, so a class or period the package names is created when the year lacks it. Pupils are
 * NOT created: admission needs an order, which a package does not carry, so each student is
 * matched to a pupil already in the register — by the КИАСУО id recorded before, then СНИЛС, then
 * ФИО + birth date — and an unmatched student is rejected with its marks (a roster import or an
 * admission comes first). Every matched record gets its КИАСУО id in external_ref, kept as text
 * exactly as written, so the next import and the export recognise it.
 */

type Scheme = 'quarters' | 'halves' | 'trimesters';
const FINAL_VALUES = new Set(['2', '3', '4', '5', 'зач', 'н/а', 'осв']);

function schemeOf(text: string): { scheme: Scheme; number: number } | null {
  const m = /(\d+)\s*-?\s*(?:я|й)?\s*(четверт|полугод|тримест)/i.exec(searchKey(text));
  if (!m) return null;
  const scheme: Scheme = m[2] === 'четверт' ? 'quarters' : m[2] === 'полугод' ? 'halves' : 'trimesters';
  return { scheme, number: Number(m[1]) };
}

async function refOf(trx: Db, entity: string, externalId: string): Promise<number | null> {
  const row = await trx
    .selectFrom('external_ref')
    .select('entity_id')
    .where('system', '=', KIASUO_SYSTEM)
    .where('entity', '=', entity)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.entity_id ?? null;
}

async function remember(trx: Db, entity: string, externalId: string, entityId: number): Promise<void> {
  await trx
    .insertInto('external_ref')
    .values({ system: KIASUO_SYSTEM, entity, external_id: externalId, entity_id: entityId })
    .onConflict((oc) => oc.columns(['system', 'entity', 'external_id']).doNothing())
    .execute();
}

/** Index (from 1) of the first record of a package file matching `pred`, for row numbers in the report. */
function itemIndex(entries: ReadonlyMap<string, unknown>, file: string, pred: (item: Record<string, unknown>) => boolean): number {
  const raw = entries.get(file);
  if (!Array.isArray(raw)) return 0;
  const i = raw.findIndex((item) => typeof item === 'object' && item !== null && pred(item as Record<string, unknown>));
  return i + 1;
}

export const importKiasuo: Importer = async (input) => {
  if (input.source.kind !== 'package') throw new Error('kiasuo expects a package');
  const { trx } = input;
  const entries = input.source.contents.entries;
  const pkg = parseKiasuoPackage(entries);
  const counts = new Counts();
  for (const e of ['classes', 'periods', 'pupils'] as const) counts.touch(e);
  const rejected: RejectedRow[] = pkg.problems.map((p) => ({ row: p.item, column: p.field ? `${p.file}: ${p.field}` : p.file, reason: p.reason }));
  const conflicts: ImportConflict[] = [];
  const at = input.ctx.now().toISOString();
  // The package reader's own warnings (skipped entries) are added to the report by the runner.
  const warnings: ImportWarning[] = [];

  // Periods first: the scheme of a class created below follows the package's periods.
  const periodIds = new Map<string, number>();
  let packageScheme: Scheme | null = null;
  for (const [i, p] of pkg.periods.entries()) {
    const row = i + 1;
    const parsed = schemeOf(p.text);
    packageScheme ??= parsed?.scheme ?? null;
    const known = await refOf(trx, KIASUO_ENTITIES.period, p.id);
    if (known !== null) {
      periodIds.set(p.id, known);
      counts.add('periods', 'unchanged');
      continue;
    }
    const year = await trx.selectFrom('school_year').select(['id', 'name']).where('starts_on', '<=', p.to).where('ends_on', '>=', p.from).orderBy('starts_on').executeTakeFirst();
    if (!year) {
      rejected.push({ row, column: `${KIASUO_FILES.periods}: from`, reason: `период «${p.text}» не попадает ни в один учебный год реестра` });
      continue;
    }
    const same = await trx.selectFrom('period').select('id').where('year_id', '=', year.id).where('starts_on', '=', p.from).where('ends_on', '=', p.to).orderBy('id').executeTakeFirst();
    const byNumber = parsed
      ? await trx.selectFrom('period').select(['id']).where('year_id', '=', year.id).where('scheme', '=', parsed.scheme).where('number', '=', parsed.number).executeTakeFirst()
      : undefined;
    const match = same ?? byNumber;
    if (match) {
      if (!same) warnings.push({ column: KIASUO_FILES.periods, reason: `даты периода «${p.text}» в пакете отличаются от дат в реестре: оставлены даты реестра` });
      await remember(trx, KIASUO_ENTITIES.period, p.id, match.id);
      periodIds.set(p.id, match.id);
      counts.add('periods', 'unchanged');
      continue;
    }
    if (!parsed) {
      rejected.push({ row, column: `${KIASUO_FILES.periods}: text`, reason: `период «${p.text}» не распознан: ожидается, например, «1 четверть», «2 полугодие», «3 триместр»` });
      continue;
    }
    const created = await trx
      .insertInto('period')
      .values({ year_id: year.id, scheme: parsed.scheme, number: parsed.number, name: p.text, starts_on: p.from, ends_on: p.to })
      .returning('id')
      .executeTakeFirstOrThrow();
    await remember(trx, KIASUO_ENTITIES.period, p.id, created.id);
    periodIds.set(p.id, created.id);
    counts.add('periods', 'created');
  }

  const classFinder = new ClassFinder(trx);
  const classOf = new Map<string, { id: number; label: string; year: YearRow }>();
  for (const [i, c] of pkg.classes.entries()) {
    const row = i + 1;
    const year = await yearByName(trx, c.study_year);
    if (!year) {
      rejected.push({ row, column: `${KIASUO_FILES.classes}: study_year`, reason: `учебный год ${c.study_year} не найден в реестре` });
      continue;
    }
    const known = await refOf(trx, KIASUO_ENTITIES.class, c.id);
    if (known !== null) {
      classOf.set(c.id, { id: known, label: c.name, year });
      counts.add('classes', 'unchanged');
      continue;
    }
    const found = await classFinder.find(year, c.name);
    if (found) {
      await remember(trx, KIASUO_ENTITIES.class, c.id, found.id);
      classOf.set(c.id, { id: found.id, label: found.label, year });
      counts.add('classes', 'unchanged');
      continue;
    }
    const label = /^\s*(1[01]|[1-9])\s*[-\s«"]*\s*([А-ЯЁа-яё])\s*[»"]?\s*$/.exec(c.name);
    if (!label) {
      rejected.push({ row, column: `${KIASUO_FILES.classes}: name`, reason: `класс «${c.name}» не распознан: ожидается, например, «5А»` });
      continue;
    }
    const created = await trx
      .insertInto('school_class')
      .values({ year_id: year.id, parallel: Number(label[1]), letter: label[2]!.toUpperCase(), period_scheme: packageScheme ?? 'quarters' })
      .returning('id')
      .executeTakeFirstOrThrow();
    classFinder.forget(year.id);
    await remember(trx, KIASUO_ENTITIES.class, c.id, created.id);
    classOf.set(c.id, { id: created.id, label: c.name, year });
    counts.add('classes', 'created');
  }

  // Pupils: every register pupil read once, keyed by СНИЛС and by ФИО + birth date.
  const all = await trx.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'snils']).execute();
  const bySnils = new Map(all.filter((p) => p.snils).map((p) => [p.snils!, p.id]));
  const byName = new Map<string, number[]>();
  for (const p of all) {
    const key = `${nameKey(p.last_name, p.first_name, p.middle_name)}|${p.birth_date}`;
    byName.set(key, [...(byName.get(key) ?? []), p.id]);
  }
  const pupilOf = new Map<string, { pupilId: number; classId: number; year: YearRow }>();
  const membersOf = new Map<number, Set<number>>();
  for (const [i, s] of pkg.students.entries()) {
    input.progress(i + 1, pkg.students.length, 'Сопоставление обучающихся');
    const row = i + 1;
    const cls = classOf.get(s.school_class);
    if (!cls) {
      rejected.push({ row, column: `${KIASUO_FILES.students}: school_class`, reason: `класс ${s.school_class} обучающегося не принят` });
      continue;
    }
    let pupilId = await refOf(trx, KIASUO_ENTITIES.pupil, s.id);
    const snils = s.snils ? s.snils.replace(/\D/g, '') : '';
    if (pupilId === null && snils) pupilId = bySnils.get(snils) ?? null;
    if (pupilId === null) {
      const same = byName.get(`${nameKey(s.last_name, s.first_name, s.middle_name)}|${s.birth_date}`) ?? [];
      if (same.length === 1) pupilId = same[0]!;
    }
    if (pupilId === null) {
      const who = fullName({ lastName: s.last_name, firstName: s.first_name, middleName: s.middle_name ?? null });
      rejected.push({
        row,
        column: `${KIASUO_FILES.students}: id`,
        reason: `обучающийся «${who}» не найден в реестре (ни по СНИЛС, ни по ФИО и дате рождения): пакет КИАСУО не зачисляет обучающихся — зачислите его приказом или импортом списка и повторите`,
      });
      continue;
    }
    let members = membersOf.get(cls.id);
    if (!members) membersOf.set(cls.id, (members = new Set((await classMembers(trx, cls.id, cls.year)).map((m) => m.id))));
    if (!members.has(pupilId)) {
      // Marks attach to the lessons of the package's class: a pupil of another class would get them wrongly.
      const who = fullName({ lastName: s.last_name, firstName: s.first_name, middleName: s.middle_name ?? null });
      rejected.push({ row, column: `${KIASUO_FILES.students}: school_class`, reason: `обучающийся «${who}» найден в реестре, но не числится в классе ${cls.label} в ${cls.year.name} учебном году` });
      continue;
    }
    await remember(trx, KIASUO_ENTITIES.pupil, s.id, pupilId);
    pupilOf.set(s.id, { pupilId, classId: cls.id, year: cls.year });
    counts.add('pupils', 'unchanged');
  }

  const subjects = await subjectMap(trx);
  const missingSubjects = new Set<string>();
  const subjectOf = (name: string, file: string, student: string): number | null => {
    const id = subjects.get(searchKey(name));
    if (id !== undefined) return id;
    const key = `${file}|${searchKey(name)}`;
    if (!missingSubjects.has(key)) {
      missingSubjects.add(key);
      rejected.push({ row: itemIndex(entries, file, (it) => it['subject'] === name && String(it['student']) === student), column: `${file}: subject`, reason: subjectNotFound(name) });
    }
    return null;
  };

  const lessons = new LessonFinder(trx, counts);
  const cells = new Map<string, { lessonId: number; pupilId: number; marks: string[]; attendance: AttendanceCode | null }>();
  const journal = [...pkg.marks.map((m) => ({ ...m, code: null as AttendanceCode | null })), ...pkg.attendance.map((a) => ({ ...a, value: null as string | null }))];
  for (const e of journal) {
    const who = pupilOf.get(e.student);
    if (!who) continue; // the student's own rejection says why
    const subjectId = subjectOf(e.subject, KIASUO_FILES.lessonMarks, e.student);
    if (subjectId === null) continue;
    // Searched only for a rejection: a full year would make it quadratic otherwise.
    const row = () => itemIndex(entries, KIASUO_FILES.lessonMarks, (it) => it['subject'] === e.subject && String(it['student']) === e.student);
    if (e.date < who.year.starts_on || e.date > who.year.ends_on) {
      rejected.push({ row: row(), column: `${KIASUO_FILES.lessonMarks}: slots.lesson_date`, reason: `дата урока ${e.date} вне учебного года ${who.year.name}` });
      continue;
    }
    if (e.value !== null && !/^[1-5]$/.test(e.value)) {
      rejected.push({ row: row(), column: `${KIASUO_FILES.lessonMarks}: slots.mark.value`, reason: `«${e.value}» — не отметка 1–5` });
      continue;
    }
    const lessonId = await lessons.get(who.classId, subjectId, e.date);
    const key = `${lessonId}|${who.pupilId}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { lessonId, pupilId: who.pupilId, marks: [], attendance: null }));
    if (e.value !== null) cell.marks.push(e.value);
    if (e.code !== null) cell.attendance = e.code;
  }
  await writeJournalCells(trx, counts, cells, (done, total) => input.progress(done, total, 'Запись отметок и посещаемости'));

  counts.touch('finalMarks');
  for (const f of pkg.finalMarks) {
    const who = pupilOf.get(f.student);
    if (!who) continue;
    const subjectId = subjectOf(f.subject, KIASUO_FILES.studentMarks, f.student);
    if (subjectId === null) continue;
    const value = f.value.trim().toLowerCase();
    if (!FINAL_VALUES.has(value)) {
      const row = itemIndex(entries, KIASUO_FILES.studentMarks, (it) => it['subject'] === f.subject && String(it['student']) === f.student && String(it['study_period']) === f.period);
      rejected.push({ row, column: `${KIASUO_FILES.studentMarks}: standard_mark_type`, reason: `«${f.value}» — не итоговая отметка (2–5, зач, н/а, осв)` });
      continue;
    }
    let periodId: number | null = null;
    if (f.period !== 'year') {
      const pid = periodIds.get(f.period);
      if (pid === undefined) continue; // the period's own rejection says why
      periodId = pid;
    }
    const finalRow = () => itemIndex(entries, KIASUO_FILES.studentMarks, (it) => it['subject'] === f.subject && String(it['student']) === f.student && String(it['study_period']) === f.period);
    const column = `${KIASUO_FILES.studentMarks}: standard_mark_type`;
    const takeFile = input.resolutions.some((r) => r.column === column && r.take === 'file' && r.row === finalRow());
    const result = await upsertFinalMark(trx, { pupilId: who.pupilId, subjectId, yearId: who.year.id, kind: periodId === null ? 'year' : 'period', periodId, value }, { profile: input.profile.id, at, takeFile });
    if (result.outcome === 'conflict') {
      conflicts.push({ row: finalRow(), column, inApp: result.inApp, inFile: value });
      counts.add('finalMarks', 'unchanged');
    } else counts.add('finalMarks', result.outcome);
  }

  input.audit({ action: 'import', entity: 'kiasuo', details: { profile: input.profile.id, counts: counts.counts, rejected: rejected.length } });
  return { counts: counts.counts, rejected, conflicts, warnings };
};
