import type { ReactElement } from 'react';
import { DirectorSignature, Layout, ruDate, SchoolHead } from './layout';
import type { ClassListData, DocumentMeta } from './types';

const CSS = `
.doc-title { text-align: center; font-size: 14pt; font-weight: 700; margin: 4pt 0 2pt; }
.doc-subtitle { text-align: center; margin-bottom: 10pt; }
.facts { margin-bottom: 10pt; }
.facts td { padding: 1pt 8pt 1pt 0; vertical-align: top; }
table.grid { font-size: 10.5pt; }
table.grid td { padding: 3pt 5pt; }
.total { margin-top: 8pt; }
`;

/** The list of a class as of a date. */
export function ClassListDocument({ data, meta, fontCss }: { data: ClassListData; meta: DocumentMeta; fontCss: string }): ReactElement {
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <SchoolHead school={data.school} />
      <div className="doc-title">Список обучающихся {data.classLabel} класса</div>
      <div className="doc-subtitle">
        на {ruDate(data.date)} ({data.yearName} учебный год)
      </div>
      <table className="facts">
        <tbody>
          <tr>
            <td>Класс:</td>
            <td>
              <b>{data.classLabel}</b>
            </td>
          </tr>
          <tr>
            <td>Классный руководитель:</td>
            <td>{data.teacher ?? 'не назначен'}</td>
          </tr>
        </tbody>
      </table>
      <table className="grid">
        <thead>
          <tr>
            <th className="num" style={{ width: '10mm' }}>
              №
            </th>
            <th>Фамилия, имя, отчество</th>
            <th style={{ width: '30mm' }}>Дата рождения</th>
            <th style={{ width: '30mm' }}>№ личного дела</th>
          </tr>
        </thead>
        <tbody>
          {data.pupils.map((p, i) => (
            <tr key={i}>
              <td className="num">{i + 1}</td>
              <td>{p.fio}</td>
              <td className="num">{ruDate(p.birthDate)}</td>
              <td className="num">{p.fileNumber ?? '—'}</td>
            </tr>
          ))}
          {data.pupils.length === 0 ? (
            <tr>
              <td colSpan={4} className="center">
                На эту дату в классе нет обучающихся.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <p className="total">Всего обучающихся: {data.pupils.length}.</p>
      <DirectorSignature school={data.school} />
    </Layout>
  );
}
