/**
 * How many sheets (листы, not pages) an archive volume has, for its cover and its
 * certification sheet (лист-заверитель). Pure, no Node imports.
 *
 * A volume is printed in three parts, in this order, each starting on a fresh sheet:
 *   1. the cover (обложка) — `coverPages`, normally 1;
 *   2. the body — contents and the document itself — `pages`;
 *   3. the certification sheet — `certificationPages`, normally 1.
 *
 * Rule:
 * - The body is printed one-sided (one page per sheet) or two-sided (two pages per sheet, so
 *   half its pages rounded up: an odd last page has a blank back).
 * - The cover and the certification are ALWAYS one-sided, every page of them its own sheet,
 *   even in a two-sided print: nothing is printed on the back of a cover, and the
 *   лист-заверитель is a separate sheet stitched in at the end, not the back of the last page
 *   of the document. So each of them adds exactly its page count in sheets.
 * - `countCoverAndCertification` (a setting) decides whether those sheets are in the number.
 *   When false, only the body's sheets are counted (archive practice does not number the cover
 *   and the лист-заверитель); when true, cover sheets + body sheets + certification sheets.
 *
 * The PDF follows the same layout: in a two-sided print it carries a blank page after every
 * cover page and after every certification page but the last, and pads an odd body with a blank
 * last page, so that a duplex printer puts each part on its own sheets. Then (see volumePdfPages)
 * the PDF's page count P gives the whole volume's sheets as P one-sided and ⌈P/2⌉ two-sided —
 * exactly sheetCount with the setting on; with it off, the cover and certification sheets are
 * subtracted from that.
 */

export interface VolumeSheets {
  /** Pages of the body: everything between the cover and the certification sheet. */
  pages: number;
  /** Two-sided print of the body. */
  duplex: boolean;
  /** Pages of the cover (each a one-sided sheet). */
  coverPages: number;
  /** Pages of the certification sheet (each a one-sided sheet). */
  certificationPages: number;
  /** The setting: do the cover and the certification sheets count in the number? */
  countCoverAndCertification: boolean;
}

function assertPages(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Подсчёт листов: «${field}» должно быть целым числом не меньше 0, получено ${String(value)}`);
  }
}

/** Sheets of the body alone: pages one-sided, half rounded up two-sided. */
export function bodySheets(pages: number, duplex: boolean): number {
  assertPages(pages, 'pages');
  return duplex ? Math.ceil(pages / 2) : pages;
}

/** The number of sheets stated on the certification sheet and the cover. */
export function sheetCount(volume: VolumeSheets): number {
  assertPages(volume.coverPages, 'coverPages');
  assertPages(volume.certificationPages, 'certificationPages');
  const body = bodySheets(volume.pages, volume.duplex);
  return volume.countCoverAndCertification ? volume.coverPages + body + volume.certificationPages : body;
}

/**
 * Pages of the whole volume's PDF under the layout above (blank backs included in a two-sided
 * print), so that the count can be checked against `pdfinfo`.
 */
export function volumePdfPages(volume: Omit<VolumeSheets, 'countCoverAndCertification'>): number {
  assertPages(volume.coverPages, 'coverPages');
  assertPages(volume.certificationPages, 'certificationPages');
  if (!volume.duplex) return volume.coverPages + bodySheets(volume.pages, false) + volume.certificationPages;
  // Cover pages each with a blank back, the body padded to whole sheets, certification pages
  // each with a blank back except the last page of the file, which needs none.
  const certification = volume.certificationPages > 0 ? 2 * volume.certificationPages - 1 : 0;
  return 2 * volume.coverPages + 2 * bodySheets(volume.pages, true) + certification;
}

/**
 * The two-pass render: the first pass renders everything but the certification (cover + body)
 * and measures its PDF pages; this gives the number to print on the certification sheet.
 * `pagesBeforeCertification` is that first PDF's page count under the layout above: in a
 * two-sided print each cover page is followed by its blank back (a padded odd body is fine:
 * the padding does not change the body's sheets). The certification is assumed to take
 * `certificationPages` pages (1 unless told); the caller renders it with the returned number and
 * must check that it really took that many pages (if not, call again with the real count — the
 * number in words is short, so a second round is not expected).
 */
export function sheetsForCertification(input: {
  pagesBeforeCertification: number;
  duplex: boolean;
  coverPages: number;
  certificationPages?: number;
  countCoverAndCertification: boolean;
}): number {
  assertPages(input.pagesBeforeCertification, 'pagesBeforeCertification');
  assertPages(input.coverPages, 'coverPages');
  const coverPdfPages = input.duplex ? 2 * input.coverPages : input.coverPages;
  const pages = input.pagesBeforeCertification - coverPdfPages;
  if (pages < 0) {
    throw new RangeError(
      `Подсчёт листов: в первом проходе ${input.pagesBeforeCertification} стр., а одна обложка занимает ${coverPdfPages} — проверьте, что обложка вошла в первый проход`,
    );
  }
  return sheetCount({
    pages,
    duplex: input.duplex,
    coverPages: input.coverPages,
    certificationPages: input.certificationPages ?? 1,
    countCoverAndCertification: input.countCoverAndCertification,
  });
}
