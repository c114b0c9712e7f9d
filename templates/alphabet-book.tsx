import type { ReactElement } from 'react';
import { dateAndNumber, Layout, ruDate } from './layout';
import type { AlphabetBookData, AlphabetEntry, DocumentMeta } from './types';

const CSS = `
@page { size: A4 landscape; }
.book-head { text-align: center; margin-bottom: 8pt; }
.book-head .school { font-size: 11pt; }
.book-head .title { font-size: 14pt; font-weight: 700; margin-top: 4pt; }
.letter { break-before: page; page-break-before: always; }
.letter.first { break-before: auto; page-break-before: auto; }
table.grid th.letter-title { font-family: 'PT Serif', 'Times New Roman', serif; font-size: 15pt; text-align: left; background: none;
  border: none; padding: 0 0 4pt; }
table.grid { font-size: 8pt; table-layout: fixed; }
table.grid th { font-size: 7.5pt; }
table.grid td, table.grid th { padding: 1.5pt 2.5pt; overflow-wrap: anywhere; }
.period + .period { border-top: 0.5pt dashed #666; margin-top: 1.5pt; padding-top: 1.5pt; }
.guardian + .guardian { margin-top: 1.5pt; }
.footnote { font-size: 8pt; margin-top: 4pt; }
`;

function Periods({ entry, pick }: { entry: AlphabetEntry; pick: (p: AlphabetEntry['periods'][number]) => string }): ReactElement {
  return (
    <>
      {entry.periods.map((p, i) => (
        <div key={i} className="period">
          {pick(p) || '\u00a0'}
        </div>
      ))}
    </>
  );
}

/** The alphabet book of pupils: a page per letter, entries in number order. */
export function AlphabetBookDocument({ data, meta, fontCss }: { data: AlphabetBookData; meta: DocumentMeta; fontCss: string }): ReactElement {
  const anyLater = data.letters.some((l) => l.entries.some((e) => e.periods.some((p) => p.classIsLater)));
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <div className="book-head">
        <div className="school">{data.school.name}</div>
        <div className="title">Алфавитная книга записи обучающихся</div>
        <div className="small">
          {data.onlyLetter ? `Буква «${data.onlyLetter}». ` : ''}Распечатано {ruDate(data.printedOn)}
        </div>
      </div>
      {data.letters.length === 0 ? <p className="center">Записей нет.</p> : null}
      {data.letters.map((letter, li) => (
        <section key={letter.letter} className={li === 0 ? 'letter first' : 'letter'}>
          <table className="grid">
            <colgroup>
              <col style={{ width: '6%' }} />
              <col style={{ width: '14%' }} />
              <col style={{ width: '7%' }} />
              <col style={{ width: '5%' }} />
              <col style={{ width: '8.5%' }} />
              <col style={{ width: '11%' }} />
              <col style={{ width: '14%' }} />
              <col style={{ width: '14.5%' }} />
              <col style={{ width: '8.5%' }} />
              <col style={{ width: '11.5%' }} />
            </colgroup>
            <thead>
              {/* The letter sits in the repeated header, so every page of the letter shows it. */}
              <tr>
                <th colSpan={10} className="letter-title">
                  {letter.letter}
                </th>
              </tr>
              <tr>
                <th>№ (личное дело)</th>
                <th>Фамилия, имя, отчество</th>
                <th>Дата рождения</th>
                <th>Класс</th>
                <th>Дата и № приказа о зачислении</th>
                <th>Откуда прибыл</th>
                <th>Адрес</th>
                <th>Сведения о родителях (законных представителях)</th>
                <th>Дата и № приказа о выбытии</th>
                <th>Куда выбыл, причина</th>
              </tr>
            </thead>
            <tbody>
              {letter.entries.map((e) => (
                <tr key={e.number}>
                  <td className="num">{e.fileNumber}</td>
                  <td>{e.fio}</td>
                  <td className="num">{ruDate(e.birthDate)}</td>
                  <td className="num">
                    <Periods entry={e} pick={(p) => (p.classLabel ? `${p.classLabel}${p.classIsLater ? '*' : ''}` : '')} />
                  </td>
                  <td className="num">
                    <Periods entry={e} pick={(p) => dateAndNumber(p.admission)} />
                  </td>
                  <td>
                    <Periods entry={e} pick={(p) => p.arrivedFrom ?? ''} />
                  </td>
                  <td>{e.address ?? ''}</td>
                  <td>
                    {e.guardians.map((g, gi) => (
                      <div key={gi} className="guardian">
                        {g.fio} ({g.kinship}){g.phone ? `, ${g.phone}` : ''}
                      </div>
                    ))}
                  </td>
                  <td className="num">
                    <Periods entry={e} pick={(p) => dateAndNumber(p.leave)} />
                  </td>
                  <td>
                    <Periods entry={e} pick={(p) => p.leftTo ?? ''} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {anyLater ? (
            <div className="footnote">* Класс в первом учебном году, внесённом в программу (класс при зачислении в ней не записан).</div>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}
