import type { ReactElement } from 'react';
import { Layout, ruDate } from './layout';
import type { DocumentMeta } from './types';

/** One slip: one holder, one code. */
export interface AccessSlip {
  /** «обучающийся», «родитель», «законный представитель». */
  role: string;
  /** The holder's full name. */
  holder: string;
  /** For a guardian: the child's name; null on a pupil's own slip. */
  child: string | null;
  classLabel: string;
  code: string;
  validUntil: string | null;
}

export interface AccessRegisterLine {
  fio: string;
  role: string;
  issuedAt: string | null;
}

export interface AccessSlipsData {
  schoolName: string;
  classLabel: string;
  yearName: string;
  slips: AccessSlip[];
  register: AccessRegisterLine[];
}

/** Slips on a fixed 2 × 4 grid inside the portrait margins (175 × 266 mm), 8 per page. */
export const SLIPS_PER_PAGE = 8;
export const SLIP_WIDTH_MM = 87;
export const SLIP_HEIGHT_MM = 66;

const CSS = `
.sheet { display: grid; grid-template-columns: ${SLIP_WIDTH_MM}mm ${SLIP_WIDTH_MM}mm; grid-auto-rows: ${SLIP_HEIGHT_MM}mm; }
.slip { border: 0.75pt dashed #555; padding: 3mm 4mm; overflow: hidden; font-family: 'PT Sans', Arial, sans-serif;
  font-size: 8.5pt; line-height: 1.2; break-inside: avoid; page-break-inside: avoid; }
.slip .sch { font-weight: 700; font-size: 8pt; text-align: center; }
.slip .ttl { font-weight: 700; text-align: center; margin: 1mm 0 1.5mm; font-size: 9pt; }
.slip .who { margin-bottom: 1.5mm; }
.slip .code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', monospace; font-size: 18pt; font-weight: 700;
  text-align: center; border: 0.75pt solid #000; padding: 1mm 0; margin: 1mm 0 1.5mm; }
.slip .how { font-size: 7pt; line-height: 1.15; }
.slip .until { margin-top: 1mm; font-size: 8pt; }
.reg-title { text-align: center; font-size: 13pt; font-weight: 700; margin: 0 0 2pt; }
.reg-sub { text-align: center; margin-bottom: 8pt; }
`;

function SlipView({ slip, schoolName }: { slip: AccessSlip; schoolName: string }): ReactElement {
  return (
    <div className="slip">
      <div className="sch">{schoolName}</div>
      <div className="ttl">Реквизиты доступа к электронному дневнику</div>
      <div className="who">
        {slip.child ? (
          <>
            Для: {slip.role} <b>{slip.holder}</b> — ребёнок {slip.child}, класс {slip.classLabel}
          </>
        ) : (
          <>
            Для: {slip.role} <b>{slip.holder}</b>, класс {slip.classLabel}
          </>
        )}
      </div>
      <div className="code">{slip.code}</div>
      <div className="how">
        Откройте региональный портал электронного дневника, выберите «Регистрация по коду» и введите код. Код личный: не передавайте его
        никому, в том числе ребёнку или другому родителю. О потере или разглашении кода сразу сообщите в школу.
      </div>
      <div className="until">Действует до: {slip.validUntil ? ruDate(slip.validUntil) : 'без ограничения срока'}</div>
    </div>
  );
}

/** Slips to cut along the dashed lines, then the register of issue (without the codes). */
export function AccessSlipsDocument({ data, meta, fontCss }: { data: AccessSlipsData; meta: DocumentMeta; fontCss: string }): ReactElement {
  const pages: AccessSlip[][] = [];
  for (let i = 0; i < data.slips.length; i += SLIPS_PER_PAGE) pages.push(data.slips.slice(i, i + SLIPS_PER_PAGE));
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      {pages.map((page, p) => (
        <div key={p} className={`sheet${p > 0 ? ' page-break' : ''}`}>
          {page.map((slip, i) => (
            <SlipView key={i} slip={slip} schoolName={data.schoolName} />
          ))}
        </div>
      ))}
      <div className={pages.length > 0 ? 'page-break' : undefined}>
        <div className="reg-title">Ведомость выдачи реквизитов доступа</div>
        <div className="reg-sub">
          к электронному дневнику, {data.classLabel} класс, {data.yearName} учебный год
        </div>
        <table className="grid">
          <thead>
            <tr>
              <th className="num" style={{ width: '10mm' }}>
                №
              </th>
              <th>ФИО</th>
              <th style={{ width: '38mm' }}>Роль</th>
              <th style={{ width: '25mm' }}>Дата выдачи</th>
              <th style={{ width: '30mm' }}>Подпись</th>
            </tr>
          </thead>
          <tbody>
            {data.register.map((line, i) => (
              <tr key={i}>
                <td className="num">{i + 1}</td>
                <td>{line.fio}</td>
                <td>{line.role}</td>
                <td className="num">{line.issuedAt ? ruDate(line.issuedAt) : ''}</td>
                <td></td>
              </tr>
            ))}
            {data.register.length === 0 ? (
              <tr>
                <td colSpan={5} className="center">
                  Нет действующих кодов
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
