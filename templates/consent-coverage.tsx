import type { ReactElement } from 'react';
import { Layout, SchoolHead } from './layout';
import type { DocumentMeta, SchoolHeader } from './types';

/**
 * The list for the class teacher: which required consent each pupil's family still lacks, and
 * which families refused the e-diary (they get a weekly extract on paper).
 */

/** What is lacking in one cell: «нет» with whose signature and why (or «бумага» for a refusal of the e-diary). */
export interface CoverageGap {
  mark: 'нет' | 'бумага';
  /** The guardian's name for guardian consents; null for the pupil's own consent. */
  person: string | null;
  reason: string;
}

export interface CoverageRow {
  fio: string;
  pupilData: CoverageGap[];
  guardianData: CoverageGap[];
  electronic: CoverageGap[];
  /** The pupil has no linked guardian at all: nobody to sign. */
  noGuardians: boolean;
}

export interface CoverageRefusal {
  pupil: string;
  guardian: string;
  /** «отказ» or «отозвано», with the date. */
  decision: string;
}

export interface ConsentCoverageData {
  school: SchoolHeader;
  classLabel: string;
  date: string;
  teacher: string | null;
  rows: CoverageRow[];
  refusals: CoverageRefusal[];
}

const CSS = `
.cov-title { text-align: center; font-size: 13pt; font-weight: 700; margin: 0 0 4pt; }
.cov-sub { text-align: center; font-size: 9.5pt; margin-bottom: 8pt; }
.cov-section { font-weight: 700; margin: 12pt 0 4pt; }
td.gap .no { font-weight: 700; }
td.gap .why { font-size: 8pt; }
.legend { font-size: 8.5pt; margin-top: 4pt; }
.teacher { margin-top: 22pt; display: flex; justify-content: space-between; align-items: flex-end; gap: 8mm; white-space: nowrap; font-size: 11pt; }
.teacher .line { display: inline-block; width: 30mm; border-bottom: 0.75pt solid #000; margin: 0 4pt; }
`;

function Gaps({ gaps }: { gaps: CoverageGap[] }): ReactElement {
  if (gaps.length === 0) return <td className="gap" />;
  return (
    <td className="gap">
      {gaps.map((g, i) => (
        <div key={i}>
          <span className="no">{g.mark}</span>
          {g.person ? ` — ${g.person}` : ''}
          <div className="why">{g.reason}</div>
        </div>
      ))}
    </td>
  );
}

export function ConsentCoverageDocument({ data, meta, fontCss }: { data: ConsentCoverageData; meta: DocumentMeta; fontCss: string }): ReactElement {
  // A refusal of the e-diary is a decision, not a gap: such a family counts as complete.
  const complete = data.rows.filter((r) => !r.noGuardians && [...r.pupilData, ...r.guardianData, ...r.electronic].every((g) => g.mark !== 'нет')).length;
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      <SchoolHead school={data.school} />
      <div className="cov-title">{meta.title}</div>
      <div className="cov-sub">
        Обучающихся: {data.rows.length}; все обязательные согласия оформлены: {complete}
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th className="num" style={{ width: '8mm' }}>
              №
            </th>
            <th style={{ width: '48mm' }}>Обучающийся</th>
            <th>Обработка данных обучающегося</th>
            <th>Обработка данных представителя</th>
            <th>Результаты в электронной форме</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r, i) => (
            <tr key={i}>
              <td className="num">{i + 1}</td>
              <td>
                {r.fio}
                {r.noGuardians ? <div className="small">нет сведений о законных представителях</div> : null}
              </td>
              <Gaps gaps={r.pupilData} />
              <Gaps gaps={r.guardianData} />
              <Gaps gaps={r.electronic} />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="legend">
        «нет» — согласие не оформлено, не подписано или отозвано; «бумага» — отказ от электронного дневника, семья получает выписку на бумаге; пустая
        клетка — согласие оформлено. Согласие на распространение данных не обязательно и здесь не учитывается.
      </div>

      <div className="cov-section">Семьи, отказавшиеся от получения результатов в электронной форме (выписка на бумаге не реже раза в неделю)</div>
      {data.refusals.length === 0 ? (
        <p>Нет.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th className="num" style={{ width: '8mm' }}>
                №
              </th>
              <th>Обучающийся</th>
              <th>Родитель (законный представитель)</th>
              <th style={{ width: '38mm' }}>Решение</th>
            </tr>
          </thead>
          <tbody>
            {data.refusals.map((r, i) => (
              <tr key={i}>
                <td className="num">{i + 1}</td>
                <td>{r.pupil}</td>
                <td>{r.guardian}</td>
                <td>{r.decision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="teacher keep">
        <span>
          Классный руководитель {data.classLabel} класса <span className="line" /> /{data.teacher ?? <span className="line" />}/
        </span>
        <span>«___» ________ 20___ г.</span>
      </div>
    </Layout>
  );
}
