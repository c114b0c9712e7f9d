import type { ReactElement } from 'react';
import { DirectorSignature, Layout, ruDate, SchoolHead } from './layout';
import type { DocumentMeta, OrderData } from './types';

const CSS = `
.order-word { text-align: center; font-size: 15pt; font-weight: 700; letter-spacing: 3pt; margin: 6pt 0 10pt; }
.order-line { display: flex; justify-content: space-between; margin-bottom: 12pt; }
.order-title { font-weight: 700; margin-bottom: 12pt; max-width: 110mm; }
.order-body p { text-align: justify; text-indent: 12.5mm; margin: 0 0 3pt; }
.order-body p.command { text-indent: 0; font-weight: 700; letter-spacing: 1pt; margin: 6pt 0; }
.annex { margin-top: 16pt; }
.annex.own-page { break-before: page; page-break-before: always; margin-top: 0; }
.annex-title { text-align: center; font-weight: 700; margin-bottom: 6pt; }
.signed { margin-top: 28pt; }
`;

/** A short list follows the signature; a longer one is an annex on its own sheet, as customary. */
const ANNEX_ON_SAME_PAGE = 5;

/** The order (приказ) on pupils: letterhead, number and date, title, text, the pupils it covers, signature. */
export function OrderDocument({ data, meta, fontCss }: { data: OrderData; meta: DocumentMeta; fontCss: string }): ReactElement {
  const paragraphs = data.body.split('\n').filter((line) => line.trim() !== '');
  const showClass = data.pupils.some((p) => p.classLabel);
  const showDetail = data.pupils.some((p) => p.detail);
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <SchoolHead school={data.school} />
      <div className="order-word">ПРИКАЗ</div>
      <div className="order-line">
        <span>{ruDate(data.date)}</span>
        <span>№ {data.number}</span>
      </div>
      <div className="order-title">{data.title}</div>
      <div className="order-body">
        {paragraphs.map((line, i) => (
          <p key={i} className={line.trim() === 'ПРИКАЗЫВАЮ:' ? 'command' : undefined}>
            {line}
          </p>
        ))}
      </div>
      <div className="signed">
        <DirectorSignature school={data.school} />
      </div>
      {data.pupils.length > 0 ? (
        <div className={data.pupils.length > ANNEX_ON_SAME_PAGE ? 'annex own-page' : 'annex'}>
          <div className="right small">
            Приложение к приказу от {ruDate(data.date)} № {data.number}
          </div>
          <div className="annex-title">Список обучающихся</div>
          <table className="grid">
            <thead>
              <tr>
                <th className="num" style={{ width: '8mm' }}>
                  №
                </th>
                <th>Фамилия, имя, отчество</th>
                <th style={{ width: '22mm' }}>Дата рождения</th>
                {showClass ? <th style={{ width: '20mm' }}>Класс</th> : null}
                <th style={{ width: '18mm' }}>№ личного дела</th>
                {showDetail ? <th style={{ width: '52mm' }}>{data.detailHeading}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.pupils.map((p, i) => (
                <tr key={i}>
                  <td className="num">{i + 1}</td>
                  <td>{p.fio}</td>
                  <td className="num">{ruDate(p.birthDate)}</td>
                  {showClass ? <td className="num">{p.classLabel ?? '—'}</td> : null}
                  <td className="num">{p.fileNumber ?? '—'}</td>
                  {showDetail ? <td>{p.detail ?? ''}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Layout>
  );
}
