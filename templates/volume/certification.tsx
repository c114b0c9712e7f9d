import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { sheetsInWords } from '../../common/domain/number-words';
import { DirectorSignature, ruDate } from '../layout';
import type { CertificationData } from './types';

export const CERTIFICATION_CSS = `
.certification h2 { text-align: center; font-size: 14pt; margin: 20mm 0 4pt; }
.certification .archive-no { text-align: center; margin-bottom: 16pt; }
.certification .statement { font-size: 13pt; text-align: justify; text-indent: 12.5mm; margin-bottom: 10pt; }
.certification .notes { font-size: 10pt; margin: 8pt 0 14pt; }
.certification .seal { font-weight: 700; }
.certification .date { margin-top: 14pt; }
.certification .key { margin-top: 24pt; font-size: 9pt; }
.certification .key .fingerprint { font-family: 'PT Sans Narrow', 'PT Sans', sans-serif; word-break: break-all; }
`;

/** What is and what is not in the number, so that an archivist can recount. */
function countNote(data: CertificationData): string {
  const sides = data.duplex ? `двусторонняя печать, ${data.pages} стр.` : `односторонняя печать, ${data.pages} стр.`;
  if (!data.asVolume) return `Документ: ${sides}; лист-заверитель ${data.countCoverAndCertification ? 'учтён' : 'не учтён'} в числе листов.`;
  return `Документ: ${sides}; обложка и лист-заверитель ${data.countCoverAndCertification ? 'учтены' : 'не учтены'} в числе листов.`;
}

/** The certification sheet (лист-заверитель): the sheet count in figures and words, signature, seal, date. */
export function VolumeCertification({ data }: { data: CertificationData }): ReactElement {
  return (
    <div className="certification">
      <h2>ЛИСТ-ЗАВЕРИТЕЛЬ</h2>
      <div className="archive-no">
        {data.archive ? `дела № ${data.archive.archiveNo}${data.archive.version > 1 ? `, версия ${data.archive.version}` : ''}` : ' '}
      </div>
      <p className="statement">
        В настоящем {data.certificationNoun} пронумеровано, прошнуровано и скреплено печатью {sheetsInWords(data.sheets)}.
      </p>
      <p className="notes">{countNote(data)}</p>
      <DirectorSignature school={data.school} seal />
      <div className="date">{ruDate(data.date)}</div>
      {data.keyFingerprint ? (
        <div className="key">
          Отпечаток ключа электронной подписи архива: <span className="fingerprint">{data.keyFingerprint}</span>
        </div>
      ) : null}
    </div>
  );
}

export function certificationBody(data: CertificationData): string {
  return renderToStaticMarkup(<VolumeCertification data={data} />);
}
