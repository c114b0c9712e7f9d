import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { nounForm } from '../../common/domain/number-words';
import { ruDate } from '../layout';
import type { VolumeCoverData } from './types';

/** «На 1 листе», «на 21 листе», «на 156 листах»: the prepositional case after «на». */
const ON_SHEETS = ['листе', 'листах', 'листах'] as const;
const YEARS = ['год', 'года', 'лет'] as const;

export const COVER_CSS = `
.cover { display: flex; flex-direction: column; min-height: 262mm; }
.cover .school { font-size: 13pt; margin-bottom: 30mm; }
.cover .volume-no { text-align: center; font-size: 18pt; font-weight: 700; letter-spacing: 1pt; margin-bottom: 4pt; }
.cover .version { text-align: center; font-size: 12pt; margin-bottom: 14mm; }
.cover .title { text-align: center; font-size: 20pt; font-weight: 700; margin-bottom: 6mm; }
.cover .year { text-align: center; font-size: 14pt; margin-bottom: 20mm; }
.cover .facts { margin-left: auto; width: 95mm; font-size: 13pt; line-height: 1.6; }
.cover .spacer { flex: 1; }
`;

/** The cover (обложка дела): organisation, volume number, title, крайние даты, sheets, retention. */
export function VolumeCover({ data }: { data: VolumeCoverData }): ReactElement {
  return (
    <div className="cover">
      <div className="school">{data.school.name}</div>
      <div className="volume-no">ДЕЛО № {data.archiveNo}</div>
      <div className="version">{data.version > 1 ? `версия ${data.version}` : ' '}</div>
      <div className="title">{data.title}</div>
      <div className="year">{data.yearName} учебный год</div>
      <div className="facts">
        <div>
          с {ruDate(data.dateFrom)} по {ruDate(data.dateTo)}
        </div>
        <div>
          На {data.sheets} {nounForm(data.sheets, ON_SHEETS)}
        </div>
        <div>
          Срок хранения: {data.retentionYears} {nounForm(data.retentionYears, YEARS)}
        </div>
        <div>Хранить до: {ruDate(data.destroyAfter)} включительно</div>
      </div>
      <div className="spacer" />
    </div>
  );
}

export function coverBody(data: VolumeCoverData): string {
  return renderToStaticMarkup(<VolumeCover data={data} />);
}
