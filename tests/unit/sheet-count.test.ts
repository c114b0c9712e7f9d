import { describe, expect, it } from 'vitest';
import { bodySheets, sheetCount, sheetsForCertification, volumePdfPages } from '../../common/domain/sheet-count';

const base = { coverPages: 1, certificationPages: 1 };

describe('sheet count of a volume', () => {
  it('one-sided: a sheet per page', () => {
    expect(sheetCount({ ...base, pages: 154, duplex: false, countCoverAndCertification: false })).toBe(154);
    expect(sheetCount({ ...base, pages: 154, duplex: false, countCoverAndCertification: true })).toBe(156);
    expect(sheetCount({ ...base, pages: 1, duplex: false, countCoverAndCertification: false })).toBe(1);
  });

  it('two-sided: half the body pages, rounded up for an odd last page', () => {
    expect(sheetCount({ ...base, pages: 154, duplex: true, countCoverAndCertification: false })).toBe(77);
    expect(sheetCount({ ...base, pages: 155, duplex: true, countCoverAndCertification: false })).toBe(78);
    expect(sheetCount({ ...base, pages: 1, duplex: true, countCoverAndCertification: false })).toBe(1);
    expect(sheetCount({ ...base, pages: 0, duplex: true, countCoverAndCertification: false })).toBe(0);
  });

  it('two-sided with the setting on: the cover and the certification are one sheet each, not halves', () => {
    // 155 body pages → 78 sheets; + 1 cover + 1 certification, each alone on its sheet.
    expect(sheetCount({ ...base, pages: 155, duplex: true, countCoverAndCertification: true })).toBe(80);
    expect(sheetCount({ ...base, pages: 154, duplex: true, countCoverAndCertification: true })).toBe(79);
    // A two-page certification is two one-sided sheets even in a duplex print.
    expect(sheetCount({ coverPages: 1, certificationPages: 2, pages: 10, duplex: true, countCoverAndCertification: true })).toBe(8);
  });

  it('the setting off ignores the cover and certification sizes entirely', () => {
    for (const coverPages of [0, 1, 3]) {
      for (const certificationPages of [0, 1, 2]) {
        expect(sheetCount({ coverPages, certificationPages, pages: 41, duplex: true, countCoverAndCertification: false })).toBe(21);
        expect(sheetCount({ coverPages, certificationPages, pages: 41, duplex: false, countCoverAndCertification: false })).toBe(41);
      }
    }
  });

  it('rejects negative or fractional page counts, naming the field', () => {
    expect(() => sheetCount({ ...base, pages: -1, duplex: false, countCoverAndCertification: false })).toThrow(/«pages»/);
    expect(() => sheetCount({ ...base, pages: 2.5, duplex: true, countCoverAndCertification: false })).toThrow(/«pages»/);
    expect(() => sheetCount({ coverPages: -1, certificationPages: 1, pages: 2, duplex: true, countCoverAndCertification: false })).toThrow(/«coverPages»/);
    expect(() => sheetCount({ coverPages: 1, certificationPages: Number.NaN, pages: 2, duplex: true, countCoverAndCertification: true })).toThrow(/«certificationPages»/);
    expect(() => bodySheets(Number.POSITIVE_INFINITY, false)).toThrow(/не меньше 0/);
  });
});

describe('the volume PDF and pdfinfo', () => {
  it('one-sided: every page of the PDF is a sheet', () => {
    expect(volumePdfPages({ ...base, pages: 154, duplex: false })).toBe(156);
  });

  it('two-sided: blank backs behind the cover and an odd body', () => {
    // cover + blank, 155 body pages + 1 blank, certification (last page, no blank) = 2 + 156 + 1.
    expect(volumePdfPages({ ...base, pages: 155, duplex: true })).toBe(159);
    expect(volumePdfPages({ ...base, pages: 154, duplex: true })).toBe(157);
    expect(volumePdfPages({ coverPages: 0, certificationPages: 0, pages: 7, duplex: true })).toBe(8);
  });

  it('with the setting on, the sheets are the PDF pages one-sided and half of them rounded up two-sided', () => {
    for (let pages = 0; pages <= 60; pages += 1) {
      for (const coverPages of [0, 1, 2]) {
        for (const certificationPages of [0, 1, 2]) {
          const layout = { pages, coverPages, certificationPages };
          const oneSided = volumePdfPages({ ...layout, duplex: false });
          const twoSided = volumePdfPages({ ...layout, duplex: true });
          expect(sheetCount({ ...layout, duplex: false, countCoverAndCertification: true })).toBe(oneSided);
          expect(sheetCount({ ...layout, duplex: true, countCoverAndCertification: true })).toBe(Math.ceil(twoSided / 2));
          // …and with it off, the cover and certification sheets are subtracted from that.
          expect(sheetCount({ ...layout, duplex: true, countCoverAndCertification: false })).toBe(
            Math.ceil(twoSided / 2) - coverPages - certificationPages,
          );
        }
      }
    }
  });
});

describe('the number for the certification sheet from the first pass', () => {
  it('one-sided: the first pass is the cover and the body', () => {
    // 1 cover + 154 body pages rendered; the certification will be one more sheet.
    expect(sheetsForCertification({ pagesBeforeCertification: 155, duplex: false, coverPages: 1, countCoverAndCertification: true })).toBe(156);
    expect(sheetsForCertification({ pagesBeforeCertification: 155, duplex: false, coverPages: 1, countCoverAndCertification: false })).toBe(154);
  });

  it('two-sided: the cover carries its blank back; an odd or padded body gives the same sheets', () => {
    // cover + blank = 2, then 155 body pages (odd, unpadded) or 156 (padded).
    for (const pagesBeforeCertification of [157, 158]) {
      expect(sheetsForCertification({ pagesBeforeCertification, duplex: true, coverPages: 1, countCoverAndCertification: false })).toBe(78);
      expect(sheetsForCertification({ pagesBeforeCertification, duplex: true, coverPages: 1, countCoverAndCertification: true })).toBe(80);
    }
  });

  it('takes a certification longer than one page into account when told', () => {
    expect(
      sheetsForCertification({ pagesBeforeCertification: 11, duplex: false, coverPages: 1, certificationPages: 2, countCoverAndCertification: true }),
    ).toBe(13);
  });

  it('equals the count of the finished volume (the two passes agree)', () => {
    for (let pages = 0; pages <= 40; pages += 1) {
      for (const duplex of [false, true]) {
        for (const countCoverAndCertification of [false, true]) {
          const coverPages = 1;
          const firstPass = duplex ? 2 * coverPages + pages : coverPages + pages;
          const final = sheetCount({ pages, duplex, coverPages, certificationPages: 1, countCoverAndCertification });
          expect(sheetsForCertification({ pagesBeforeCertification: firstPass, duplex, coverPages, countCoverAndCertification })).toBe(final);
        }
      }
    }
  });

  it('refuses a first pass smaller than the cover', () => {
    expect(() => sheetsForCertification({ pagesBeforeCertification: 1, duplex: true, coverPages: 1, countCoverAndCertification: true })).toThrow(
      /первом проходе 1 стр\., а одна обложка занимает 2/,
    );
  });
});
