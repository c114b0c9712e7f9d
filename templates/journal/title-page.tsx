import type { ReactElement } from 'react';
import { ruDate } from '../layout';
import type { JournalTitleData, LedgerTitleData } from './types';

/** The journal's title page (portrait): school, «КЛАССНЫЙ ЖУРНАЛ», class, year, крайние даты, subjects and teachers. */
export function JournalTitlePage({ data }: { data: JournalTitleData }): ReactElement {
  return (
    <div className="vol-title">
      <div className="school">{data.schoolName}</div>
      {data.schoolAddress ? <div className="address">{data.schoolAddress}</div> : null}
      <div className="doc">КЛАССНЫЙ ЖУРНАЛ</div>
      <div className="what">{data.classLabel} класса</div>
      <div className="year">{data.yearName} учебный год</div>
      <table className="facts">
        <tbody>
          <tr>
            <td className="label">Классный руководитель:</td>
            <td>{data.classTeacher ?? '—'}</td>
          </tr>
          <tr>
            <td className="label">Обучающихся за год:</td>
            <td>{data.pupils}</td>
          </tr>
          <tr>
            <td className="label">Начат:</td>
            <td>{ruDate(data.dateFrom)}</td>
          </tr>
          <tr>
            <td className="label">Окончен:</td>
            <td>{ruDate(data.dateTo)}</td>
          </tr>
        </tbody>
      </table>
      <table className="grid">
        <thead>
          <tr>
            <th>Учебный предмет</th>
            <th>Учитель</th>
            <th>Проведено уроков</th>
          </tr>
        </thead>
        <tbody>
          {data.subjects.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td>{s.teachers}</td>
              <td className="num">{s.lessons}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A summary ledger's title page (portrait). */
export function LedgerTitlePage({ data }: { data: LedgerTitleData }): ReactElement {
  return (
    <div className="vol-title">
      <div className="school">{data.schoolName}</div>
      {data.schoolAddress ? <div className="address">{data.schoolAddress}</div> : null}
      <div className="doc" style={{ fontSize: '20pt' }}>
        {data.title}
      </div>
      <div className="what">{data.scope}</div>
      <div className="year">{data.yearName} учебный год</div>
      <table className="facts">
        <tbody>
          <tr>
            <td className="label">Классов в ведомости:</td>
            <td>{data.classes}</td>
          </tr>
          <tr>
            <td className="label">Начата:</td>
            <td>{ruDate(data.dateFrom)}</td>
          </tr>
          <tr>
            <td className="label">Окончена:</td>
            <td>{ruDate(data.dateTo)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
