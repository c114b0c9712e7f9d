import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ruDate } from '../layout';
import { AttendanceTable } from '../journal/attendance-summary';
import { FinalMarksTables } from '../journal/final-marks';
import { LedgerTitlePage } from '../journal/title-page';
import type { AttendanceLedgerClass, FinalMarksLedgerClass, LedgerTitleData, MovementLedgerClass, MovementLine, MovementTotalsRow } from '../journal/types';

/** The summary ledgers' pieces as body HTML for the volume printer: one section per class. */

export function ledgerTitleHtml(data: LedgerTitleData): string {
  return renderToStaticMarkup(<LedgerTitlePage data={data} />);
}

/** A class in the ledger of final marks: a table per period, the year (exam, final), each with its counts. */
export function finalMarksLedgerHtml(data: FinalMarksLedgerClass): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{data.heading}</h2>
      {data.tables.length === 0 ? <p className="note-line">Итоговых отметок нет.</p> : null}
      {data.tables.map((table, i) => (
        <FinalMarksTables key={table.title} pupils={data.pupils} table={table} breakBefore={i > 0} />
      ))}
    </>,
  );
}

/** A class in the ledger of attendance: missed lessons per pupil by month, split by reason, with the year's totals. */
export function attendanceLedgerHtml(data: AttendanceLedgerClass): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{data.heading}</h2>
      <AttendanceTable
        spans={data.months}
        pupils={data.pupils}
        bySpan={data.byMonth}
        year={data.year}
        classBySpan={data.classByMonth}
        classYear={data.classYear}
        fullSplit={true}
      />
    </>,
  );
}

function MovementTable({ title, lines, place }: { title: string; lines: MovementLine[]; place: string }): ReactElement {
  return (
    <div className="movement-block">
      <div className="part-title">
        {title}: {lines.length}
      </div>
      {lines.length > 0 ? (
        <table className="movement">
          <colgroup>
            <col style={{ width: '8mm' }} />
            <col style={{ width: '52mm' }} />
            <col style={{ width: '20mm' }} />
            <col />
            <col style={{ width: '38mm' }} />
          </colgroup>
          <thead>
            <tr>
              <th>№</th>
              <th>Фамилия, имя, отчество</th>
              <th>Дата</th>
              <th>{place}</th>
              <th>Приказ</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i}>
                <td className="c">{i + 1}</td>
                <td>{l.name}</td>
                <td className="c">{ruDate(l.date)}</td>
                <td>{l.detail}</td>
                <td>{l.order}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** A class in the ledger of movement: at the start, arrivals, departures, at the end. */
export function movementLedgerHtml(data: MovementLedgerClass): string {
  return renderToStaticMarkup(
    <>
      <h2 className="section">{data.heading}</h2>
      <p className="movement-count">
        Обучающихся на начало учебного года ({ruDate(data.from)}): <b>{data.atStart}</b>
      </p>
      <MovementTable title="Прибыли в течение года" lines={data.arrivals} place="Откуда прибыл, основание" />
      <MovementTable title="Выбыли в течение года" lines={data.departures} place="Куда выбыл, причина" />
      <p className="movement-count">
        Обучающихся на конец учебного года ({ruDate(data.to)}): <b>{data.atEnd}</b>
      </p>
    </>,
  );
}

/** The school's totals at the end of the movement ledger. */
export function movementTotalsHtml(heading: string, rows: MovementTotalsRow[]): string {
  const sum = rows.reduce((t, r) => ({ atStart: t.atStart + r.atStart, arrived: t.arrived + r.arrived, left: t.left + r.left, atEnd: t.atEnd + r.atEnd }), {
    atStart: 0,
    arrived: 0,
    left: 0,
    atEnd: 0,
  });
  return renderToStaticMarkup(
    <>
      <h2 className="section">{heading}</h2>
      <table className="movement totals">
        <thead>
          <tr>
            <th>Класс</th>
            <th>На начало года</th>
            <th>Прибыло</th>
            <th>Выбыло</th>
            <th>На конец года</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.classLabel}>
              <td>{r.classLabel}</td>
              <td className="c">{r.atStart}</td>
              <td className="c">{r.arrived}</td>
              <td className="c">{r.left}</td>
              <td className="c">{r.atEnd}</td>
            </tr>
          ))}
          <tr className="total">
            <td>Итого по школе</td>
            <td className="c">{sum.atStart}</td>
            <td className="c">{sum.arrived}</td>
            <td className="c">{sum.left}</td>
            <td className="c">{sum.atEnd}</td>
          </tr>
        </tbody>
      </table>
    </>,
  );
}
