import { searchKey } from '../../../common/domain/russian';
import { FINAL_MARK_PERIODS, type FinalMarkPeriod } from '../../../common/exchange/entities';
import type { ImportConflict, RejectedRow } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';
import { mapRows } from '../map';
import { compareField } from '../merge';
import type { Importer } from './types';
import { ClassFinder, Counts, MemberFinder, classNotFound, currentYear, pupilNotFound, readBaseline, subjectMap, subjectNotFound, writeBaseline } from './journal-common';

/**
 * The `final-marks` profile (formats.md, «Итоговые отметки»): one row per pupil and subject, a
 * column per period. Each filled cell becomes one final_mark, upserted by its unique key
 * (pupil, subject, year, kind, period). The file carries no dates: its year is the school year
 * of today (currentYear). Pupils are matched among the class's members by ФИО and birth date.
 */

type Scheme = 'quarters' | 'halves' | 'trimesters';
type Target = { kind: 'period'; scheme: Scheme; number: number } | { kind: 'year' | 'exam' | 'final' };

const TARGETS: Record<FinalMarkPeriod, Target> = {
  quarter1: { kind: 'period', scheme: 'quarters', number: 1 },
  quarter2: { kind: 'period', scheme: 'quarters', number: 2 },
  quarter3: { kind: 'period', scheme: 'quarters', number: 3 },
  quarter4: { kind: 'period', scheme: 'quarters', number: 4 },
  half1: { kind: 'period', scheme: 'halves', number: 1 },
  half2: { kind: 'period', scheme: 'halves', number: 2 },
  trimester1: { kind: 'period', scheme: 'trimesters', number: 1 },
  trimester2: { kind: 'period', scheme: 'trimesters', number: 2 },
  trimester3: { kind: 'period', scheme: 'trimesters', number: 3 },
  year: { kind: 'year' },
  exam: { kind: 'exam' },
  final: { kind: 'final' },
};

export type FinalMarkKind = 'period' | 'year' | 'exam' | 'final';
const BASELINE_ENTITY = 'final_mark';

export type UpsertOutcome = { outcome: 'created' | 'updated' | 'unchanged' } | { outcome: 'conflict'; inApp: string };

/**
 * Sets one final mark: created when absent; when present, compared three-way with what the last
 * import wrote (import_baseline): a mark corrected by hand in the app since then is kept and
 * reported as a conflict, unless the user chose the file's value (`takeFile`). Shared with the
 * КИАСУО importer.
 */
export async function upsertFinalMark(
  trx: Db,
  mark: { pupilId: number; subjectId: number; yearId: number; kind: FinalMarkKind; periodId: number | null; value: string },
  opts: { profile: string; at: string; takeFile: boolean },
): Promise<UpsertOutcome> {
  let query = trx
    .selectFrom('final_mark')
    .select(['id', 'value'])
    .where('pupil_id', '=', mark.pupilId)
    .where('subject_id', '=', mark.subjectId)
    .where('year_id', '=', mark.yearId)
    .where('kind', '=', mark.kind);
  query = mark.periodId === null ? query.where('period_id', 'is', null) : query.where('period_id', '=', mark.periodId);
  const existing = await query.executeTakeFirst();
  if (!existing) {
    const created = await trx
      .insertInto('final_mark')
      .values({ pupil_id: mark.pupilId, subject_id: mark.subjectId, year_id: mark.yearId, kind: mark.kind, period_id: mark.periodId, value: mark.value })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeBaseline(trx, BASELINE_ENTITY, created.id, { value: mark.value }, opts.profile, opts.at);
    return { outcome: 'created' };
  }
  const baseline = await readBaseline(trx, BASELINE_ENTITY, existing.id);
  let verdict = compareField(existing.value, mark.value, Object.prototype.hasOwnProperty.call(baseline, 'value') ? baseline['value'] : undefined);
  if (verdict === 'conflict' && opts.takeFile) verdict = 'update';
  if (verdict === 'conflict') return { outcome: 'conflict', inApp: existing.value };
  if (verdict === 'keep') return { outcome: 'unchanged' };
  await writeBaseline(trx, BASELINE_ENTITY, existing.id, { value: mark.value }, opts.profile, opts.at);
  if (verdict === 'same') return { outcome: 'unchanged' };
  await trx.updateTable('final_mark').set({ value: mark.value }).where('id', '=', existing.id).execute();
  return { outcome: 'updated' };
}

export const importFinalMarks: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new Error('final-marks expects a table');
  const { trx } = input;
  const mapped = mapRows(input.profile, input.source.file.rows);
  const counts = new Counts();
  counts.touch('finalMarks');
  const rejected: RejectedRow[] = [];
  const conflicts: ImportConflict[] = [];
  const at = input.ctx.now().toISOString();
  const warnings = mapped.warnings.map((w) => ({ column: w.column, reason: w.reason }));
  const header = (field: string, fallback: string) => mapped.headers[field] ?? fallback;
  const year = await currentYear(trx, input.today);
  if (!year) {
    for (const r of mapped.records) rejected.push({ row: r.row, column: header('classLabel', 'Класс'), reason: 'в реестре нет учебного года' });
    return { counts: counts.counts, rejected, conflicts: [], warnings };
  }
  const periods = await trx.selectFrom('period').select(['id', 'scheme', 'number']).where('year_id', '=', year.id).execute();
  const periodId = (scheme: Scheme, number: number) => periods.find((p) => p.scheme === scheme && p.number === number)?.id;
  const subjects = await subjectMap(trx);
  const classes = new ClassFinder(trx);
  const members = new MemberFinder(trx, year);
  const fields = Object.keys(FINAL_MARK_PERIODS) as FinalMarkPeriod[];

  let done = 0;
  for (const record of mapped.records) {
    done += 1;
    if (done % 200 === 0) input.progress(done, mapped.records.length, 'Итоговые отметки');
    if (record.problems.length > 0) {
      for (const p of record.problems) rejected.push({ row: record.row, column: p.column, reason: p.reason });
      continue;
    }
    const v = record.values;
    const label = v['classLabel'] as { parallel: number; letter: string };
    const cls = await classes.find(year, label);
    if (!cls) {
      rejected.push({ row: record.row, column: header('classLabel', 'Класс'), reason: classNotFound(`${label.parallel}${label.letter}`, year.name) });
      continue;
    }
    const person = {
      lastName: v['lastName'] as string,
      firstName: v['firstName'] as string,
      middleName: (v['middleName'] as string | null | undefined) ?? null,
      birthDate: v['birthDate'] as string,
    };
    const pupil = await members.find(cls, person);
    if (!pupil) {
      rejected.push({ row: record.row, column: header('lastName', 'Фамилия'), reason: pupilNotFound(person, cls.label, year.name) });
      continue;
    }
    const subjectName = v['subject'] as string;
    const subjectId = subjects.get(searchKey(subjectName));
    if (subjectId === undefined) {
      rejected.push({ row: record.row, column: header('subject', 'Предмет'), reason: subjectNotFound(subjectName) });
      continue;
    }
    for (const field of fields) {
      const value = v[field];
      if (value === null || value === undefined) continue;
      const target = TARGETS[field];
      let pid: number | null = null;
      if (target.kind === 'period') {
        const found = periodId(target.scheme, target.number);
        if (found === undefined) {
          rejected.push({ row: record.row, column: header(field, FINAL_MARK_PERIODS[field]), reason: `период «${FINAL_MARK_PERIODS[field]}» не задан в ${year.name} учебном году` });
          continue;
        }
        pid = found;
      }
      const column = header(field, FINAL_MARK_PERIODS[field]);
      const takeFile = input.resolutions.some((r) => r.row === record.row && r.column === column && r.take === 'file');
      const result = await upsertFinalMark(trx, { pupilId: pupil.id, subjectId, yearId: year.id, kind: target.kind, periodId: pid, value: String(value) }, { profile: input.profile.id, at, takeFile });
      if (result.outcome === 'conflict') {
        conflicts.push({ row: record.row, column, inApp: result.inApp, inFile: String(value) });
        counts.add('finalMarks', 'unchanged');
      } else counts.add('finalMarks', result.outcome);
    }
  }
  input.audit({ action: 'import', entity: 'final_mark', details: { profile: input.profile.id, rows: mapped.records.length, counts: counts.counts, rejected: rejected.length } });
  return { counts: counts.counts, rejected, conflicts, warnings };
};
