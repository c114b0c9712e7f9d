import { renderToStaticMarkup } from 'react-dom/server';
import { AttendanceTable } from './attendance-summary';
import { FinalMarksTables } from './final-marks';
import { MarksGrid } from './marks-grid';
import { LessonsTable } from './lessons-table';
import { JournalTitlePage } from './title-page';
import type { AttendanceSummaryData, FinalMarksData, JournalSubjectData, JournalTitleData } from './types';

/**
 * The class journal's pieces as body HTML for the volume printer (main/print/volume/source.ts):
 * each section starts with its heading, the contents' entry.
 */

export function journalTitleHtml(data: JournalTitleData): string {
  return renderToStaticMarkup(<JournalTitlePage data={data} />);
}

/** A subject (or group): the marks-and-attendance grid pages, then its lessons pages. */
export function subjectSectionHtml(subject: JournalSubjectData): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{subject.heading}</h2>
      <MarksGrid grid={subject.grid} firstPageBreak={false} />
      <LessonsTable title={subject.heading} lessons={subject.lessons} />
    </>,
  );
}

/** «Итоговые отметки»: a table per period, then the year (and exam, final mark when given). */
export function finalMarksSectionHtml(heading: string, data: FinalMarksData): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{heading}</h2>
      {data.tables.length === 0 ? <p className="note-line">Итоговых отметок нет.</p> : null}
      {data.tables.map((table, i) => (
        <FinalMarksTables key={table.title} pupils={data.pupils} table={table} breakBefore={i > 0} />
      ))}
    </>,
  );
}

/** «Сводные данные посещаемости»: missed lessons per pupil by period and for the year. */
export function attendanceSectionHtml(heading: string, data: AttendanceSummaryData): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{heading}</h2>
      <AttendanceTable
        spans={data.periods}
        pupils={data.pupils}
        bySpan={data.byPeriod}
        year={data.year}
        classBySpan={data.classByPeriod}
        classYear={data.classYear}
        fullSplit={false}
      />
    </>,
  );
}
