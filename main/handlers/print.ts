import { createElement } from 'react';
import { AlphabetBookDocument } from '../../templates/alphabet-book';
import { ClassListDocument } from '../../templates/class-list';
import { renderHtml } from '../../templates/layout';
import { MarksExtractDocument } from '../../templates/marks-extract';
import { OrderDocument } from '../../templates/order';
import type { Handler } from '../context';
import { pdfEngine } from '../print/chromium';
import { loadAlphabetBook, loadClassList, loadMarksExtract, loadOrder } from '../print/documents';
import { countPdfPages } from '../print/engine';
import { fontFaceCss } from '../print/fonts';
import { setPdfInfo } from '../print/metadata';

import { renderConsentDocument } from '../print/consent-print';
import { renderWeeklyExtracts } from '../print/extracts-print';
import type { Rendered } from '../print/rendered';
import { localDay } from '../../common/domain/local-day';

/** Loads the document's data and renders its template to HTML (no browser involved). */
export async function renderDocument(
  db: Parameters<typeof loadOrder>[0],
  document: Parameters<Handler<'print.document'>>[1]['document'],
  today: string,
): Promise<Rendered> {
  const fontCss = fontFaceCss();
  switch (document.kind) {
    case 'order': {
      const loaded = await loadOrder(db, document.orderId);
      return { loaded, html: renderHtml(createElement(OrderDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: false };
    }
    case 'alphabetBook': {
      const loaded = await loadAlphabetBook(db, document.letter, today);
      return { loaded, html: renderHtml(createElement(AlphabetBookDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: true };
    }
    case 'classList': {
      const loaded = await loadClassList(db, document.classId, document.date, today);
      return { loaded, html: renderHtml(createElement(ClassListDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: false };
    }
    case 'marksExtract': {
      const loaded = await loadMarksExtract(db, document.pupilId, document.date, today);
      return { loaded, html: renderHtml(createElement(MarksExtractDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: true };
    }
    case 'consentFormsFamily':
    case 'consentFormsClass':
    case 'consentCoverage':
    case 'destructionAct':
      return renderConsentDocument(db, document, today, fontCss);
    case 'weeklyExtracts':
      return renderWeeklyExtracts(db, document, today, fontCss);
  }
}

/**
 * Prints one of the contingent's documents to PDF: loads, renders, prints, then records who
 * printed what (the kind, the record's id, the pages; never personal data).
 */
export const document: Handler<'print.document'> = async (ctx, params) => {
  const today = localDay(ctx.now());
  const { loaded, html, landscape, documents } = await renderDocument(ctx.db, params.document, today);
  const engine = pdfEngine();
  const printed = await engine.print(html, { landscape, title: loaded.meta.title });
  const pdf = setPdfInfo(printed, {
    title: loaded.meta.title,
    author: loaded.meta.author,
    subject: loaded.meta.subject,
    keywords: loaded.meta.keywords.join(', '),
    creator: 'Канцелярия',
  });
  const pages = countPdfPages(pdf);
  await ctx.write(async () =>
    ctx.audit({
      entity: loaded.entity,
      entityId: loaded.entityId,
      details: { document: params.document.kind, pages },
    }),
  );
  return { fileName: `${loaded.baseName}.pdf`, title: loaded.meta.title, pages, ...(documents !== undefined ? { documents } : {}), pdfBase64: pdf.toString('base64') };
};
