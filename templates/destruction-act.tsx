import type { ReactElement } from 'react';
import { Layout, ruDate, SchoolHead } from './layout';
import { SignatureLine } from './signature-line';
import type { DocumentMeta, SchoolHeader } from './types';

/**
 * The act of destruction of personal data (приказ Роскомнадзора от 28.10.2022 № 179): for
 * automated processing the act goes with an export of the event log, printed here as an annex
 * with its SHA-256 so that the paper can be matched with the file kept in the register.
 */

export interface ActLogEntry {
  /** ISO moment or whatever the export holds, shown as «ДД.ММ.ГГГГ ЧЧ:ММ:СС». */
  at: string;
  user: string;
  action: string;
  hash: string;
}

export interface DestructionActData {
  school: SchoolHeader & { inn: string | null };
  number: string;
  actDate: string;
  subjectLabel: string;
  categories: string[];
  reason: string;
  method: string;
  informationSystem: string;
  /** Members of the commission; empty → blank lines to fill by hand. */
  commission: string[];
  keepUntil: string;
  logEntries: ActLogEntry[];
  logSha256: string;
}

/** Characters of an entry's hash printed in the table (the full hashes stay in the export file). */
export const HASH_PREFIX = 16;
const BLANK_MEMBERS = 3;

const CSS = `
.act-title { text-align: center; font-size: 13pt; font-weight: 700; margin: 6pt 0 2pt; }
.act-sub { text-align: center; font-weight: 700; margin-bottom: 10pt; }
.act-line { display: flex; justify-content: space-between; margin-bottom: 10pt; }
table.act { width: calc(100% - 1.5pt); border-collapse: collapse; font-size: 10.5pt; }
table.act td { border: 0.75pt solid #000; padding: 3pt 5pt; vertical-align: top; }
table.act td.head { width: 62mm; font-weight: 700; }
.members { margin-top: 14pt; }
.member { display: flex; align-items: flex-end; gap: 4mm; margin-top: 12pt; break-inside: avoid; page-break-inside: avoid; }
.member .role { flex: 0 0 46mm; }
.member .cell { flex: 1 1 auto; text-align: center; }
.member .cell .value { border-bottom: 0.75pt solid #000; min-height: 5mm; }
.member .cell .caption { font-size: 7.5pt; }
.annex { break-before: page; page-break-before: always; }
.annex-title { text-align: center; font-weight: 700; margin: 4pt 0 8pt; }
.hash { font-family: 'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', monospace; font-size: 8.5pt; word-break: break-all; }
.sha { margin-top: 8pt; font-size: 10pt; }
`;

/** «23.11.2026 14:05:09» from an ISO moment; any other text as is. */
function moment(at: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(at);
  if (!m) return at;
  return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''}`;
}

function Member({ role, name }: { role: string; name: string | null }): ReactElement {
  return <SignatureLine className="member" role={role} cells={[{ value: name ?? undefined, caption: 'фамилия, инициалы, должность' }, { caption: 'подпись' }]} />;
}

export function DestructionActDocument({ data, meta, fontCss }: { data: DestructionActData; meta: DocumentMeta; fontCss: string }): ReactElement {
  const members: (string | null)[] = data.commission.length > 0 ? data.commission : Array.from({ length: BLANK_MEMBERS }, () => null);
  const rows: [string, string][] = [
    ['Оператор персональных данных', [data.school.name, data.school.address, data.school.inn ? `ИНН ${data.school.inn}` : ''].filter(Boolean).join(', ')],
    ['Субъект персональных данных (ФИО)', data.subjectLabel],
    ['Перечень категорий уничтоженных персональных данных', data.categories.join('; ')],
    ['Наименование информационной системы персональных данных', data.informationSystem],
    ['Способ уничтожения', data.method],
    ['Причина уничтожения', data.reason],
    ['Дата уничтожения', ruDate(data.actDate)],
  ];
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <SchoolHead school={data.school} />
      <div className="act-title">АКТ об уничтожении персональных данных № {data.number}</div>
      <div className="act-line">
        <span>{ruDate(data.actDate)}</span>
        <span>хранить до {ruDate(data.keepUntil)}</span>
      </div>
      <p>
        Комиссия в составе лиц, указанных ниже, уничтожила персональные данные субъекта в связи с причиной, указанной в акте. Уничтожение подтверждено
        выгрузкой из журнала регистрации событий в информационной системе персональных данных (приложение).
      </p>
      <table className="act">
        <tbody>
          {rows.map(([head, value]) => (
            <tr key={head}>
              <td className="head">{head}</td>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="members">
        <div>
          <b>Лица, уничтожившие персональные данные (комиссия):</b>
        </div>
        {members.map((name, i) => (
          <Member key={i} role={i === 0 ? 'Председатель комиссии' : 'Член комиссии'} name={name} />
        ))}
      </div>

      <section className="annex">
        <div className="right small">Приложение к акту об уничтожении персональных данных от {ruDate(data.actDate)} № {data.number}</div>
        <div className="annex-title">Выгрузка из журнала регистрации событий</div>
        <p className="small">
          Субъект: {data.subjectLabel}. Категории: {data.categories.join('; ')}. Информационная система: {data.informationSystem}. Причина: {data.reason}. Дата
          уничтожения: {ruDate(data.actDate)}. Записей журнала: {data.logEntries.length}.
        </p>
        <table className="grid">
          <thead>
            <tr>
              <th className="num" style={{ width: '8mm' }}>
                №
              </th>
              <th style={{ width: '34mm' }}>Дата и время (UTC)</th>
              <th style={{ width: '32mm' }}>Пользователь</th>
              <th>Действие</th>
              <th style={{ width: '36mm' }}>Хеш записи (начало)</th>
            </tr>
          </thead>
          <tbody>
            {data.logEntries.map((e, i) => (
              <tr key={i}>
                <td className="num">{i + 1}</td>
                <td className="nowrap">{moment(e.at)}</td>
                <td>{e.user}</td>
                <td>{e.action}</td>
                <td className="hash">{e.hash.slice(0, HASH_PREFIX)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="sha keep">
          Контрольная сумма выгрузки (SHA-256): <span className="hash">{data.logSha256}</span>
        </div>
      </section>
    </Layout>
  );
}
