import type { ReactElement } from 'react';
import { PupilCell, PupilCols, PupilHeadings } from './marks-grid';
import type { MissedCounts, RowPupil } from './types';

export const ATTENDANCE_LEGEND =
  'Пропущено уроков: всего (по болезни + по уважительной причине + без уважительной причины); опоздания в пропуски не входят.';

/** The year's columns: all missed, then of them by reason, then lateness. */
function YearCells({ c }: { c: MissedCounts }): ReactElement {
  return (
    <>
      <td>{c.missed}</td>
      <td>{c.sick}</td>
      <td>{c.excused}</td>
      <td>{c.unexcused}</td>
      <td>{c.late}</td>
    </>
  );
}

const YEAR_HEADINGS = ['всего', 'по болезни', 'по уваж. причине', 'без уваж. причины', 'опозданий'];

/**
 * Missed lessons per pupil over spans of the year (the class's periods, or months in the
 * ledger): «всего» and «по бол.» for each span, the full split for the year, the class's totals
 * in the last row.
 */
export function AttendanceTable(props: {
  spans: string[];
  pupils: RowPupil[];
  bySpan: MissedCounts[][];
  year: MissedCounts[];
  classBySpan: MissedCounts[];
  classYear: MissedCounts;
  /** Each span split in full (ledger) or «всего / по бол.» only (journal). */
  fullSplit: boolean;
}): ReactElement {
  const perSpan = props.fullSplit ? ['вс.', 'б', 'у', 'н'] : ['всего', 'по бол.'];
  const spanCells = (c: MissedCounts | undefined, key: number) =>
    (props.fullSplit ? [c?.missed, c?.sick, c?.excused, c?.unexcused] : [c?.missed, c?.sick]).map((v, i) => <td key={`${key}-${i}`}>{v ?? 0}</td>);
  return (
    <>
      <table className="dense attendance">
        <colgroup>
          <PupilCols />
          {props.spans.flatMap((_, s) => perSpan.map((__, i) => <col key={`${s}-${i}`} />))}
          {YEAR_HEADINGS.map((_, i) => (
            <col key={`y${i}`} style={{ width: '13mm' }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <PupilHeadings rowSpan={2} />
            {props.spans.map((s, i) => (
              <th key={i} colSpan={perSpan.length} className="group">
                {s}
              </th>
            ))}
            <th colSpan={YEAR_HEADINGS.length} className="group">
              За год
            </th>
          </tr>
          <tr>
            {props.spans.flatMap((_, s) => perSpan.map((h, i) => <th key={`${s}-${i}`}>{h}</th>))}
            {YEAR_HEADINGS.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.pupils.map((pupil, row) => (
            <tr key={pupil.number}>
              <td>{pupil.number}</td>
              <PupilCell pupil={pupil} />
              {props.spans.flatMap((_, s) => spanCells(props.bySpan[row]?.[s], s))}
              <YearCells c={props.year[row] ?? { missed: 0, sick: 0, excused: 0, unexcused: 0, late: 0 }} />
            </tr>
          ))}
          <tr className="total">
            <td />
            <td className="name">Итого по классу</td>
            {props.spans.flatMap((_, s) => spanCells(props.classBySpan[s], s))}
            <YearCells c={props.classYear} />
          </tr>
        </tbody>
      </table>
      <div className="legend">
        {props.fullSplit ? 'По месяцам: вс. — всего пропущено, б — по болезни, у — по уважительной причине, н — без уважительной причины. ' : ''}
        {ATTENDANCE_LEGEND}
      </div>
    </>
  );
}
