import { ApiError } from '../../../common/api/errors';
import type { Db } from '../../../db/connection';
import { JOURNAL_CSS } from '../../../templates/journal/css';
import { attendanceSectionHtml, finalMarksSectionHtml, journalTitleHtml, subjectSectionHtml } from '../../../templates/journal/sections';
import { safeFileName } from '../documents';
import type { VolumeSection, VolumeSource } from '../volume/source';
import { countAbsences, loadAbsences } from './attendance';
import { loadFinalMarks } from './final-marks';
import { classInfo, loadRoster, periodsOf, rowPupils, volumeSchool } from './roster';
import { loadClassJournal, subjectPartData } from './subjects';

/**
 * The class journal of a class and its year as a volume source (domain.md «Printing for the
 * archive»): the title page, a section per subject (or group) with its grid and lessons pages,
 * «Итоговые отметки» and «Сводные данные посещаемости». The class's data is read once (a few
 * queries); each section's HTML is made only when the printer asks for it.
 */

export const FINAL_MARKS_HEADING = 'Итоговые отметки';
export const ATTENDANCE_HEADING = 'Сводные данные посещаемости';

export async function classJournalSource(db: Db, classId: number): Promise<VolumeSource> {
  const cls = await classInfo(db, classId);
  const data = await loadClassJournal(db, cls);
  if (data.parts.length === 0) {
    throw new ApiError(
      'refused',
      `В журнале класса ${cls.label} за ${cls.yearName} учебный год нет уроков: печатать нечего. ` +
        'Внесите уроки (или загрузите журнал из электронного журнала через обмен данными) и напечатайте журнал снова.',
    );
  }
  const school = await volumeSchool(db);
  const roster = await loadRoster(db, cls);
  const dateFrom = data.firstDate ?? cls.yearStart;
  const dateTo = data.lastDate ?? cls.yearEnd;

  const sections: VolumeSection[] = data.parts.map((part) => ({
    heading: part.heading,
    landscape: true,
    renderBody: () => subjectSectionHtml(subjectPartData(data, part, roster, cls)),
  }));
  sections.push({
    heading: FINAL_MARKS_HEADING,
    landscape: true,
    renderBody: async () => finalMarksSectionHtml(FINAL_MARKS_HEADING, await loadFinalMarks(db, cls, roster)),
  });
  sections.push({
    heading: ATTENDANCE_HEADING,
    landscape: true,
    renderBody: async () => {
      const periods = await periodsOf(db, cls.yearId, cls.scheme);
      const rows = await loadAbsences(db, cls.id);
      const totals = countAbsences(rows, roster, periods.length, (date) => periods.findIndex((p) => p.starts_on <= date && date <= p.ends_on));
      return attendanceSectionHtml(ATTENDANCE_HEADING, {
        periods: periods.map((p) => p.name),
        pupils: rowPupils(roster, cls),
        byPeriod: totals.bySpan,
        year: totals.year,
        classByPeriod: totals.classBySpan,
        classYear: totals.classYear,
      });
    },
  });

  const title = `Классный журнал ${cls.label} класса`;
  const fullTitle = `${title}, ${cls.yearName} учебный год`;
  return {
    kind: 'class_journal',
    meta: {
      title: fullTitle,
      author: school.name,
      subject: `Классный журнал: отметки, посещаемость, темы уроков и домашние задания ${cls.label} класса за ${cls.yearName} учебный год`,
      keywords: ['Канцелярия', 'классный журнал', cls.label, cls.yearName, 'архив'],
    },
    school,
    title,
    yearName: cls.yearName,
    classLabel: cls.label,
    dateFrom,
    dateTo,
    certificationNoun: 'журнале',
    css: JOURNAL_CSS,
    titlePageBody: journalTitleHtml({
      schoolName: school.name,
      schoolAddress: school.address,
      classLabel: cls.label,
      yearName: cls.yearName,
      classTeacher: cls.teacher,
      dateFrom,
      dateTo,
      subjects: data.subjectSummary,
      pupils: roster.length,
    }),
    sections,
    baseName: safeFileName(`Классный журнал ${cls.label} ${cls.yearName.replace('/', '-')}`),
    audit: { entity: 'school_class', entityId: cls.id, classId: cls.id, yearId: cls.yearId },
  };
}
