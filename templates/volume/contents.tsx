import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ContentsData } from './types';

// Each entry is a flex row: the heading (wraps when long), a dotted leader that takes the rest of
// the line, the page number. (A table with a nowrap leader grew past the page's right edge.)
export const CONTENTS_CSS = `
.contents h2 { text-align: center; font-size: 14pt; margin: 0 0 10pt; }
.contents .volume-title { text-align: center; margin-bottom: 12pt; }
.contents-list { font-size: 12pt; }
.contents-row { display: flex; align-items: baseline; padding: 3pt 0; break-inside: avoid; page-break-inside: avoid; }
.contents-row .heading { flex: 0 1 auto; }
.contents-row .leader { flex: 1 1 auto; min-width: 8mm; margin: 0 3pt; border-bottom: 1.2pt dotted #000; }
.contents-row .page { flex: 0 0 auto; min-width: 10mm; text-align: right; white-space: nowrap; }
`;

/** The contents (содержание): each section's heading and the page it starts on. */
export function VolumeContents({ data }: { data: ContentsData }): ReactElement {
  return (
    <div className="contents">
      <h2>СОДЕРЖАНИЕ</h2>
      <div className="volume-title">{data.title}</div>
      <div className="contents-list">
        {data.entries.map((entry, i) => (
          <div className="contents-row" key={i}>
            <span className="heading">{entry.heading}</span>
            <span className="leader" />
            <span className="page">{entry.page}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

export function contentsBody(data: ContentsData): string {
  return renderToStaticMarkup(<VolumeContents data={data} />);
}
