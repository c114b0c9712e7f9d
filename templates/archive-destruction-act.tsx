import type { ReactElement } from 'react';
import { countInWords, nounForm, type NounForms } from '../common/domain/number-words';
import { Layout, ruDate } from './layout';
import { SignatureLine } from './signature-line';
import type { DocumentMeta, SchoolHeader } from './types';

/**
 * The act of selecting archive volumes for destruction (акт о выделении к уничтожению
 * документов, не подлежащих хранению; domain.md «Printing for the archive», the form of the
 * Правила организации хранения документов в архивах организаций, приказ Росархива от 31.07.2023
 * № 77): the volumes whose retention term has ended, for the expert commission to sign and the
 * director to approve. Number and date of the act are left blank: the act gets them when it is
 * approved, and `archive.destroy` records them then.
 */

export interface ArchiveActRow {
  /** «Классный журнал 5А класса, 2025/2026 учебный год». */
  title: string;
  dateFrom: string;
  dateTo: string;
  /** The inventory the volume is listed in: the register numbers volumes per year, «2026». */
  inventory: string;
  /** The archive number, with the version when the volume was re-printed. */
  index: string;
  retentionYears: number;
  note: string;
}

export interface ArchiveDestructionActData {
  school: SchoolHeader;
  /** The day the terms are counted to. */
  asOf: string;
  rows: ArchiveActRow[];
}

const CASE_FORMS: NounForms = ['дело', 'дела', 'дел'];
const YEAR_FORMS: NounForms = ['год', 'года', 'лет'];

/** «5 лет», «25 лет», «1 год». */
export function retentionText(years: number): string {
  return `${years} ${nounForm(years, YEAR_FORMS)}`;
}

/** «Итого 3 (три) дела за 2021–2026 годы» (or «за 2026 год»). */
export function actTotalText(rows: readonly ArchiveActRow[]): string {
  const years = rows.flatMap((r) => [Number(r.dateFrom.slice(0, 4)), Number(r.dateTo.slice(0, 4))]);
  const from = Math.min(...years);
  const to = Math.max(...years);
  const span = from === to ? `${from} год` : `${from}–${to} годы`;
  return `Итого ${countInWords(rows.length, 'neuter', CASE_FORMS)} за ${span}.`;
}

const CSS = `
.act-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 10mm; margin-bottom: 12pt; }
.act-head .org { flex: 1 1 50%; font-weight: 700; }
.act-head .approve { flex: 0 0 78mm; }
.act-head .approve div { white-space: nowrap; }
.approve .line, .sign .line { display: inline-block; border-bottom: 0.75pt solid #000; }
.act-title { text-align: center; font-weight: 700; font-size: 13pt; margin-top: 8pt; }
.act-number { text-align: center; margin: 4pt 0 2pt; }
.act-sub { text-align: center; font-weight: 700; margin-bottom: 10pt; }
.reason { text-align: justify; text-indent: 10mm; margin-bottom: 8pt; }
table.grid.act td { font-size: 9pt; }
table.grid.act tr.numbers th { background: none; font-weight: 400; font-size: 8pt; padding: 1pt; }
.total { margin: 8pt 0 4pt; font-weight: 700; }
.after { margin-bottom: 4pt; text-align: justify; }
.signs { margin-top: 14pt; }
.sign { display: flex; align-items: flex-end; gap: 4mm; margin-top: 14pt; break-inside: avoid; page-break-inside: avoid; }
.sign .role { flex: 0 0 58mm; }
.sign .cell { flex: 1 1 auto; text-align: center; }
.sign .cell .value { border-bottom: 0.75pt solid #000; min-height: 5mm; }
.sign .cell .caption { font-size: 7.5pt; }
`;

const COLUMNS: [string, string][] = [
  ['№ п/п', '9mm'],
  ['Заголовок дела', ''],
  ['Крайние даты', '24mm'],
  ['Номер описи', '15mm'],
  ['Индекс / № дела', '22mm'],
  ['Количество дел (томов)', '16mm'],
  ['Срок хранения', '17mm'],
  ['Примечание', '26mm'],
];

function Sign({ role }: { role: string }): ReactElement {
  return <SignatureLine className="sign" role={role} cells={[{ caption: 'подпись' }, { caption: 'И. О. Фамилия' }]} />;
}

export function ArchiveDestructionActDocument({ data, meta, fontCss }: { data: ArchiveDestructionActData; meta: DocumentMeta; fontCss: string }): ReactElement {
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <div className="act-head">
        <div className="org">
          {data.school.name}
          <div className="small" style={{ fontWeight: 400 }}>
            {data.school.address}
          </div>
        </div>
        <div className="approve">
          <div>УТВЕРЖДАЮ</div>
          <div>
            Директор <span className="line" style={{ width: '20mm' }} /> /{data.school.directorShort || <span className="line" style={{ width: '24mm' }} />}/
          </div>
          <div>«___» _______________ 20___ г.</div>
        </div>
      </div>
      <div className="act-title">АКТ</div>
      <div className="act-number">«___» _______________ 20___ г. № _______</div>
      <div className="act-sub">о выделении к уничтожению документов, не подлежащих хранению</div>
      <p className="reason">
        На основании Правил организации хранения документов в архивах организаций (приказ Росархива от 31.07.2023 № 77) и сроков хранения документов,
        установленных в организации, отобраны к уничтожению как не имеющие научно-исторической ценности и утратившие практическое значение документы, сроки
        хранения которых истекли по состоянию на {ruDate(data.asOf)}:
      </p>
      <table className="grid act">
        <thead>
          <tr>
            {COLUMNS.map(([name, width]) => (
              <th key={name} style={width ? { width } : undefined}>
                {name}
              </th>
            ))}
          </tr>
          <tr className="numbers">
            {COLUMNS.map(([name], i) => (
              <th key={name}>{i + 1}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, i) => (
            <tr key={row.index}>
              <td className="num">{i + 1}</td>
              <td>{row.title}</td>
              <td className="num">
                {ruDate(row.dateFrom)}–<br />
                {ruDate(row.dateTo)}
              </td>
              <td className="num">{row.inventory}</td>
              <td className="num">{row.index}</td>
              <td className="num">1</td>
              <td className="num">{retentionText(row.retentionYears)}</td>
              <td>{row.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="total keep">{actTotalText(data.rows)}</div>
      <p className="after">
        Документы в количестве _______ дел весом _______ кг переданы на уничтожение ____________________________ по акту (накладной) от «___» __________ 20___
        г. № _______.
      </p>
      <p className="after">
        Электронные копии этих дел (файлы PDF в папке архива и во второй копии) удаляются программой «Канцелярия», когда дела отмечаются уничтоженными по
        утверждённому акту с указанием его номера и даты.
      </p>
      <div className="signs">
        <Sign role="Председатель экспертной комиссии" />
        <Sign role="Член комиссии" />
        <Sign role="Член комиссии" />
        <Sign role="Ответственный за архив" />
      </div>
      <SignatureLine className="sign" role="СОГЛАСОВАНО протоколом экспертной комиссии" cells={[{ caption: 'дата и номер протокола' }]} />
    </Layout>
  );
}
