import type { ReactElement } from 'react';
import { DirectorSignature, Layout, ruDate, SchoolHead } from './layout';
import type { DocumentMeta, MarksExtractData } from './types';

const CSS = `
@page { size: A4 landscape; }
.school-address { margin-bottom: 6pt; }
.doc-title { text-align: center; font-size: 13pt; font-weight: 700; margin: 0; }
.doc-subtitle { text-align: center; margin-bottom: 6pt; font-size: 11pt; }
.facts { margin-bottom: 6pt; font-size: 10.5pt; border-collapse: collapse; }
.facts td { padding: 0 8pt 0 0; vertical-align: top; }
.facts td.gap { padding-left: 14mm; }
table.grid { font-size: 8pt; }
table.grid td, table.grid th { padding: 1pt 3pt; }
table.grid td.marks { letter-spacing: 0.3pt; }
table.grid td.final { text-align: center; font-weight: 700; }
.attendance { margin-top: 6pt; font-size: 10.5pt; }
.issued { margin-top: 2pt; font-size: 10.5pt; }
.signature { margin-top: 14pt; }
.signature .seal { margin-right: 30mm; font-weight: 700; }
`;

/** The extract of current marks and interim results for a pupil leaving for another school. */
export function MarksExtractDocument({ data, meta, fontCss }: { data: MarksExtractData; meta: DocumentMeta; fontCss: string }): ReactElement {
  const a = data.attendance;
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <SchoolHead school={data.school} />
      <div className="doc-title">ВЫПИСКА</div>
      <div className="doc-subtitle">
        текущих отметок и результатов промежуточной аттестации за {data.yearName} учебный год (по состоянию на {ruDate(data.date)})
      </div>
      <table className="facts">
        <tbody>
          <tr>
            <td>Обучающийся:</td>
            <td>
              <b>{data.pupil.fio}</b>, {ruDate(data.pupil.birthDate)} г. р.
            </td>
            <td className="gap">Класс:</td>
            <td>{data.classLabel ?? '—'}</td>
          </tr>
          <tr>
            <td>Период:</td>
            <td>
              с {ruDate(data.from)} по {ruDate(data.date)}
            </td>
            <td className="gap">№ личного дела:</td>
            <td>{data.pupil.fileNumber ?? '—'}</td>
          </tr>
        </tbody>
      </table>
      <table className="grid">
        <thead>
          <tr>
            <th rowSpan={2} className="num" style={{ width: '6mm' }}>
              №
            </th>
            <th rowSpan={2} style={{ width: '42mm' }}>
              Учебный предмет
            </th>
            <th colSpan={Math.max(1, data.months.length)}>Текущие отметки по месяцам</th>
            <th colSpan={data.periods.length + 1}>Отметки за периоды</th>
            <th rowSpan={2} style={{ width: '14mm' }}>
              Пропущено уроков
            </th>
          </tr>
          <tr>
            {data.months.length === 0 ? <th>—</th> : null}
            {data.months.map((m) => (
              <th key={m.key}>{m.label}</th>
            ))}
            {data.periods.map((p) => (
              <th key={p.id} style={{ width: '12mm' }}>
                {p.name}
              </th>
            ))}
            <th style={{ width: '10mm' }}>Год</th>
          </tr>
        </thead>
        <tbody>
          {data.subjects.map((s, i) => (
            <tr key={s.name}>
              <td className="num">{i + 1}</td>
              <td>{s.name}</td>
              {data.months.length === 0 ? <td /> : null}
              {data.months.map((m) => (
                <td key={m.key} className="marks">
                  {(s.marksByMonth[m.key] ?? []).join(' ')}
                </td>
              ))}
              {data.periods.map((p) => (
                <td key={p.id} className="final">
                  {s.periodMarks[p.id] ?? ''}
                </td>
              ))}
              <td className="final">{s.yearMark ?? ''}</td>
              <td className="num">{s.missed || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="attendance keep">
        Посещаемость: уроков по расписанию {a.lessons}, пропущено {a.missed}, в том числе по болезни {a.sick}, по уважительной причине{' '}
        {a.excused}, без уважительной причины {a.unexcused}; опозданий {a.late}.
      </div>
      <div className="issued">Выписка выдана для представления в принимающую образовательную организацию.</div>
      <div className="keep">
        <DirectorSignature school={data.school} seal />
        <div className="small" style={{ marginTop: '8pt' }}>
          Дата выдачи: {ruDate(data.issuedOn)}
        </div>
      </div>
    </Layout>
  );
}
