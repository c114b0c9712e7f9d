import { parseJournalReport } from '../layouts/journal-report';
import { fillMerged } from '../read';
import { searchKey } from '../../../common/domain/russian';
import type { RejectedRow } from '../../../common/exchange/report';
import type { Importer, ImporterResult } from './types';
import {
  ClassFinder,
  Counts,
  LessonFinder,
  MemberFinder,
  classNotFound,
  pupilNotFound,
  subjectMap,
  subjectNotFound,
  writeJournalCells,
  yearByName,
  type AttendanceCode,
  type YearRow,
} from './journal-common';

/**
 * The `journal-report` layout (formats.md): one block per pupil, marks and attendance per
 * subject and day. Each block's pupil is matched among the members of its class during the year
 * (a matched block counts as an unchanged pupil); each subject row to the register's subjects.
 * Lessons are found by class, subject and date, or created with an empty topic. Nothing else
 * is created: an unknown pupil, class or subject rejects its rows.
 */
export const importJournalReport: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new Error('journal-report expects a table');
  const { trx } = input;
  const file = input.source.file;
  const report = parseJournalReport(fillMerged(file.rows, file.merges));
  const counts = new Counts();
  counts.touch('pupils');
  counts.touch('lessons');
  const rejected: RejectedRow[] = report.problems.map((p) => ({ row: p.row, column: p.column, reason: p.reason }));
  const subjects = await subjectMap(trx);
  const classes = new ClassFinder(trx);
  const lessons = new LessonFinder(trx, counts);
  const years = new Map<string, YearRow | null>();
  const members = new Map<number, MemberFinder>();
  const rejectedSubjectRows = new Set<number>();
  // Subject rows repeat in every block: each name is normalised and looked up once.
  const subjectIds = new Map<string, number | undefined>();
  const subjectIdOf = (name: string) => {
    if (!subjectIds.has(name)) subjectIds.set(name, subjects.get(searchKey(name)));
    return subjectIds.get(name);
  };
  // First every block is matched and every entry checked; then the lessons of the whole file are
  // found or created at once, and the cells are gathered (in the file's order, as before).
  const accepted: { classId: number; subjectId: number; date: string; pupilId: number; mark: string | null; code: AttendanceCode | null }[] = [];

  let blockNo = 0;
  for (const block of report.blocks) {
    blockNo += 1;
    input.progress(blockNo, report.blocks.length, 'Сопоставление учеников');
    if (!years.has(block.year)) years.set(block.year, await yearByName(trx, block.year));
    const year = years.get(block.year)!;
    if (!year) {
      rejected.push({ row: block.row, column: 'Учебный год', reason: `учебный год ${block.year} не найден в реестре` });
      continue;
    }
    const cls = await classes.find(year, block.classLabel);
    if (!cls) {
      rejected.push({ row: block.row, column: 'Класс', reason: classNotFound(block.classLabel, year.name) });
      continue;
    }
    let finder = members.get(year.id);
    if (!finder) members.set(year.id, (finder = new MemberFinder(trx, year)));
    const pupil = await finder.find(cls, block.pupil);
    if (!pupil) {
      rejected.push({ row: block.row, column: 'Ученик', reason: pupilNotFound(block.pupil, cls.label, year.name) });
      continue;
    }
    counts.add('pupils', 'unchanged');

    const entries = [
      ...block.marks.map((m) => ({ row: m.row, subject: m.subject, date: m.date, mark: String(m.value), code: null })),
      ...block.attendance.map((a) => ({ row: a.row, subject: a.subject, date: a.date, mark: null, code: a.code })),
    ];
    for (const e of entries) {
      const subjectId = subjectIdOf(e.subject);
      if (subjectId === undefined) {
        if (!rejectedSubjectRows.has(e.row)) rejected.push({ row: e.row, column: 'Предмет', reason: subjectNotFound(e.subject) });
        rejectedSubjectRows.add(e.row);
        continue;
      }
      if (e.date < year.starts_on || e.date > year.ends_on) {
        rejected.push({ row: e.row, column: 'Предмет', reason: `дата ${e.date.split('-').reverse().join('.')} вне учебного года ${year.name}` });
        continue;
      }
      accepted.push({ classId: cls.id, subjectId, date: e.date, pupilId: pupil.id, mark: e.mark, code: e.code });
    }
  }

  await lessons.resolve(accepted);
  const cells = new Map<string, { lessonId: number; pupilId: number; marks: string[]; attendance: AttendanceCode | null }>();
  for (const e of accepted) {
    const lessonId = lessons.idOf(e.classId, e.subjectId, e.date);
    const key = `${lessonId}|${e.pupilId}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { lessonId, pupilId: e.pupilId, marks: [], attendance: null }));
    if (e.mark !== null) cell.marks.push(e.mark);
    if (e.code !== null) cell.attendance = e.code;
  }

  await writeJournalCells(trx, counts, cells, (done, total) => input.progress(done, total, 'Запись отметок и посещаемости'));
  input.audit({
    action: 'import',
    entity: 'journal',
    details: { profile: input.profile.id, blocks: report.blocks.length, counts: counts.counts, rejected: rejected.length },
  });
  const result: ImporterResult = { counts: counts.counts, rejected, conflicts: [], warnings: [] };
  return result;
};
