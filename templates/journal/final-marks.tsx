import type { ReactElement } from 'react';
import { PupilCell, PupilCols, PupilHeadings } from './marks-grid';
import { MAX_SUBJECT_COLUMNS, splitEvenly } from './paging';
import type { FinalMarksTable, LedgerFinalMarksTable, RowPupil, SubjectMarkCounts } from './types';

export const FINAL_MARKS_LEGEND = 'Отметки: 5, 4, 3, 2; «зач» — зачтено; «н/а» — не аттестован; «осв» — освобождён.';

function percent(value: number | null): string {
  return value === null ? '' : `${Math.round(value)} %`;
}

/** The rows under the pupils in the ledger: counts of each value and the shares per subject. */
const COUNT_ROWS: readonly (readonly [string, (c: SubjectMarkCounts) => string])[] = [
  ['Число «5»', (c) => String(c.five)],
  ['Число «4»', (c) => String(c.four)],
  ['Число «3»', (c) => String(c.three)],
  ['Число «2»', (c) => String(c.two)],
  ['Число «н/а»', (c) => String(c.notCertified)],
  ['Качество, %', (c) => percent(c.quality)],
  ['Успеваемость, %', (c) => percent(c.success)],
];

/**
 * One final-marks table (a period, the year, the exam or the final mark): pupils × subjects by
 * their short names; a table wider than a page is cut into several, each with the pupils again.
 * With `table.counts` (the ledger) the counts of «5» … «н/а» and the shares follow the pupils.
 */
export function FinalMarksTables({ pupils, table, breakBefore }: { pupils: RowPupil[]; table: FinalMarksTable | LedgerFinalMarksTable; breakBefore: boolean }): ReactElement {
  const parts = splitEvenly(Math.max(1, table.subjects.length), MAX_SUBJECT_COLUMNS);
  const counts = 'counts' in table ? table : null;
  return (
    <>
      {parts.map(([from, to], part) => {
        const subjects = table.subjects.slice(from, to);
        return (
          <div key={from} className={breakBefore || part > 0 ? 'page-break' : undefined}>
            <div className="part-title">
              {table.title}
              {parts.length > 1 ? <span className="cont"> (предметы {from + 1}–{to} из {table.subjects.length})</span> : null}
            </div>
            <table className="dense final-marks">
              <colgroup>
                <PupilCols />
                {subjects.map((_, i) => (
                  <col key={i} />
                ))}
              </colgroup>
              <thead>
                <tr>
                  <PupilHeadings />
                  {subjects.map((s, i) => (
                    <th key={i} title={s.name}>
                      {s.shortName}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {pupils.map((pupil, row) => (
                  <tr key={pupil.number}>
                    <td>{pupil.number}</td>
                    <PupilCell pupil={pupil} />
                    {subjects.map((_, i) => (
                      <td key={i}>{table.values[row]?.[from + i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
                {counts ? (
                  <>
                    {COUNT_ROWS.map(([label, value]) => (
                      <tr key={label} className="count">
                        <td />
                        <td className="name">{label}</td>
                        {subjects.map((_, i) => {
                          const c = counts.counts[from + i];
                          return <td key={i}>{c ? value(c) : ''}</td>;
                        })}
                      </tr>
                    ))}
                  </>
                ) : null}
              </tbody>
            </table>
            {counts && part === parts.length - 1 ? (
              <div className="note-line">
                Аттестовано обучающихся: {counts.pupilsWithMarks}; качество знаний по классу (все отметки «4» и «5»): {percent(counts.classQuality) || '—'};
                успеваемость по классу (нет «2» и «н/а»): {percent(counts.classSuccess) || '—'}.
              </div>
            ) : null}
            <div className="legend">{FINAL_MARKS_LEGEND}</div>
          </div>
        );
      })}
    </>
  );
}
