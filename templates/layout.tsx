import type { ReactElement, ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { DocumentMeta, SchoolHeader } from './types';

/** «01.09.2025» from '2025-09-01'. */
export function ruDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** «01.09.2025 № 12-у». */
export function dateAndNumber(value: { date: string; number: string | null } | null): string {
  if (!value) return '';
  return value.number ? `${ruDate(value.date)} № ${value.number}` : ruDate(value.date);
}

const BASE_CSS = `
@page { size: A4 portrait; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: 'PT Serif', 'Times New Roman', serif; font-size: 12pt; line-height: 1.3; color: #000;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1, h2, h3 { margin: 0; font-weight: 700; }
p { margin: 0 0 0.4em; }
.center { text-align: center; }
.right { text-align: right; }
.muted { color: #333; }
.small { font-size: 9pt; }
.school { text-align: center; font-weight: 700; font-size: 12pt; }
.school-address { text-align: center; font-size: 9pt; border-bottom: 1.5px solid #000; padding-bottom: 3pt; margin-bottom: 14pt; }
/* A hair under 100%: Chromium clips a collapsed border that sits exactly on the right margin. */
table.grid { width: calc(100% - 1.5pt); border-collapse: collapse; font-family: 'PT Sans', Arial, sans-serif; font-size: 9.5pt; line-height: 1.2; }
table.grid th, table.grid td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; }
table.grid th { font-weight: 700; text-align: center; vertical-align: middle; background: #ececec; }
table.grid td.num, table.grid th.num { text-align: center; white-space: nowrap; }
table.grid td.nowrap { white-space: nowrap; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.page-break { break-before: page; page-break-before: always; }
.signature { margin-top: 24pt; display: flex; justify-content: space-between; align-items: flex-end; }
.signature .line { display: inline-block; width: 40mm; border-bottom: 0.75pt solid #000; margin: 0 4pt; }
`;

export interface LayoutProps {
  meta: DocumentMeta;
  /** `@font-face` rules with the fonts inlined (main/print/fonts.ts). */
  fontCss: string;
  /** Extra CSS of the document. */
  css?: string;
  children: ReactNode;
}

/** The page shell: language, metadata for the PDF's Info dictionary, fonts and print CSS. */
export function Layout({ meta, fontCss, css, children }: LayoutProps): ReactElement {
  return (
    <html lang="ru">
      <head>
        <meta charSet="utf-8" />
        <title>{meta.title}</title>
        <meta name="author" content={meta.author} />
        <meta name="subject" content={meta.subject} />
        <meta name="keywords" content={meta.keywords.join(', ')} />
        <meta name="generator" content="Канцелярия" />
        <style dangerouslySetInnerHTML={{ __html: `${fontCss}\n${BASE_CSS}\n${css ?? ''}` }} />
      </head>
      <body>{children}</body>
    </html>
  );
}

/** The school's name and address over a rule, as on a letterhead. */
export function SchoolHead({ school }: { school: SchoolHeader }): ReactElement {
  return (
    <>
      <div className="school">{school.name}</div>
      <div className="school-address">{school.address}</div>
    </>
  );
}

/** «Директор ____________ /И. О. Фамилия/», optionally with «М. П.». */
export function DirectorSignature({ school, seal }: { school: SchoolHeader; seal?: boolean }): ReactElement {
  return (
    <div className="signature keep">
      <div>
        Директор <span className="line" /> /{school.directorShort || <span className="line" />}/
      </div>
      {seal ? <div className="seal">М. П.</div> : null}
    </div>
  );
}

/** A whole HTML document as a string. */
export function renderHtml(element: ReactElement): string {
  return `<!DOCTYPE html>\n${renderToStaticMarkup(element)}`;
}
