import type { ReactElement } from 'react';
import { dayOfMonth, MAX_DATE_COLUMNS, monthSpans, splitEvenly } from './paging';
import type { MarksGridData, RowPupil } from './types';

/** What the letters of the grid mean: printed under every page of it. */
export const GRID_LEGEND =
  'Условные обозначения: н — отсутствовал без уважительной причины; б — по болезни; у — по уважительной причине; ' +
  'о — опоздал; цифры — отметки за урок (несколько отметок через пробел); серый фон — не обучался в классе (группе) в этот день; ' +
  '«с», «по» у фамилии — даты прибытия и выбытия.';

/** The widths of the two leading columns of a table with a row per pupil: № and the name. */
export function PupilCols(): ReactElement {
  return (
    <>
      <col style={{ width: '5mm' }} />
      <col style={{ width: '44mm' }} />
    </>
  );
}

/** The headings of those two columns; `rowSpan` when the head has a second row. */
export function PupilHeadings({ rowSpan }: { rowSpan?: number }): ReactElement {
  return (
    <>
      <th rowSpan={rowSpan}>№</th>
      <th rowSpan={rowSpan} className="name">
        Фамилия, имя обучающегося
      </th>
    </>
  );
}

/** The pupil cell: «Фамилия Имя» and, small, the dates of joining or leaving. */
export function PupilCell({ pupil }: { pupil: RowPupil }): ReactElement {
  return (
    <td className="name">
      {pupil.name}
      {pupil.note ? <span className="note">{pupil.note}</span> : null}
    </td>
  );
}

/**
 * The marks-and-attendance grid, one table per page: at most MAX_DATE_COLUMNS lessons across,
 * the pupils repeated on the left of each page, the months grouped over the days. A class too
 * long for one page continues on the next with the header repeated (thead), rows never split.
 */
export function MarksGrid({ grid, firstPageBreak }: { grid: MarksGridData; firstPageBreak: boolean }): ReactElement {
  const pages = splitEvenly(grid.columns.length, MAX_DATE_COLUMNS);
  if (pages.length === 0) {
    return (
      <div className={firstPageBreak ? 'page-break' : undefined}>
        <div className="part-title">Отметки и посещаемость</div>
        <p className="note-line">Уроков не было.</p>
      </div>
    );
  }
  return (
    <>
      {pages.map(([from, to], page) => {
        const columns = grid.columns.slice(from, to);
        const first = columns[0]?.date ?? '';
        const last = columns.at(-1)?.date ?? '';
        return (
          <div key={from} className={page > 0 || firstPageBreak ? 'page-break' : undefined}>
            <div className="part-title">
              {grid.title}: отметки и посещаемость
              <span className="cont">
                {' '}
                (уроки {from + 1}–{to} из {grid.columns.length}, {dayOfMonth(first)}.{first.slice(5, 7)}–{dayOfMonth(last)}.{last.slice(5, 7)})
              </span>
            </div>
            <table className="dense grid-marks">
              <colgroup>
                <PupilCols />
                {columns.map((c, i) => (
                  <col key={i} />
                ))}
              </colgroup>
              <thead>
                <tr>
                  <PupilHeadings rowSpan={2} />
                  {monthSpans(columns.map((c) => c.date)).map((m, i) => (
                    <th key={i} colSpan={m.span} className="group">
                      {m.label}
                    </th>
                  ))}
                </tr>
                <tr>
                  {columns.map((c, i) => (
                    <th key={i}>{dayOfMonth(c.date)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.pupils.map((pupil, row) => (
                  <tr key={pupil.number}>
                    <td>{pupil.number}</td>
                    <PupilCell pupil={pupil} />
                    {columns.map((_, i) => {
                      const col = from + i;
                      const text = grid.cells[row]?.[col] ?? '';
                      const out = grid.outside[row]?.[col] ?? false;
                      const absent = text === 'н' || text === 'б' || text === 'у';
                      return (
                        <td key={i} className={out ? 'out' : absent ? 'absent' : undefined}>
                          {text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="legend">{GRID_LEGEND}</div>
          </div>
        );
      })}
    </>
  );
}
