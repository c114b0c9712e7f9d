import { volumePdfPages } from '../../../common/domain/sheet-count';

/**
 * Where every page of a volume's PDF comes from and what number it carries. Pure.
 *
 * Numbering (stamped after merging, «— N —» centred at the foot): the body — title page,
 * contents, sections — is numbered from 1 on the title page; the certification sheet carries
 * the next number after the body's last page; the cover and the blank pages of a two-sided
 * print carry none. Sheets (листы) are not stamped: archive practice numbers them by hand in
 * pencil in the upper right corner when the volume is stitched, and whether the cover counts
 * is a setting the archivist may change; the number of sheets is on the cover and on the
 * certification sheet.
 */

export type PlannedPage =
  | { part: 'cover'; index: number }
  | { part: 'body'; index: number; number: number }
  | { part: 'certification'; index: number; number: number }
  | { part: 'blank' };

export interface PagePlanInput {
  coverPages: number;
  bodyPages: number;
  certificationPages: number;
  duplex: boolean;
}

/**
 * The PDF's pages in order, laid out as common/domain/sheet-count.ts documents it: in a
 * two-sided print a blank back after every cover page, the body padded to whole sheets, and a
 * blank back after every certification page but the last.
 */
export function planPages(input: PagePlanInput): PlannedPage[] {
  const pages: PlannedPage[] = [];
  for (let i = 0; i < input.coverPages; i += 1) {
    pages.push({ part: 'cover', index: i });
    if (input.duplex) pages.push({ part: 'blank' });
  }
  for (let i = 0; i < input.bodyPages; i += 1) pages.push({ part: 'body', index: i, number: i + 1 });
  if (input.duplex && input.bodyPages % 2 === 1) pages.push({ part: 'blank' });
  for (let i = 0; i < input.certificationPages; i += 1) {
    if (input.duplex && i > 0) pages.push({ part: 'blank' });
    pages.push({ part: 'certification', index: i, number: input.bodyPages + i + 1 });
  }
  const expected = volumePdfPages({ pages: input.bodyPages, duplex: input.duplex, coverPages: input.coverPages, certificationPages: input.certificationPages });
  if (pages.length !== expected) throw new Error(`План страниц тома: ${pages.length} стр. вместо ${expected}`);
  return pages;
}

/** The page each section starts on: the body is numbered from the title page (1). */
export function sectionStartPages(titlePages: number, contentsPages: number, sectionPages: readonly number[]): number[] {
  let next = titlePages + contentsPages + 1;
  return sectionPages.map((pages) => {
    const start = next;
    next += pages;
    return start;
  });
}

/**
 * A stand-in for a page number in the first pass of the contents: as many digits as the widest
 * real number can have, so that the second pass lays the lines out the same way.
 */
export function placeholderPageNumber(maxPage: number): string {
  return '8'.repeat(String(Math.max(1, maxPage)).length);
}

/** The footer stamped on a numbered page. */
export function pageLabel(number: number): string {
  return `— ${number} —`;
}
