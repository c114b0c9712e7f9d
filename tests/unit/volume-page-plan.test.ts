import { describe, expect, it } from 'vitest';
import { sheetCount, volumePdfPages } from '../../common/domain/sheet-count';
import { pageLabel, placeholderPageNumber, planPages, sectionStartPages, type PlannedPage } from '../../main/print/volume/page-plan';
import { inParallel } from '../../main/print/volume/print-volume';

function parts(plan: PlannedPage[]): string {
  return plan.map((p) => (p.part === 'blank' ? '_' : p.part === 'cover' ? 'C' : p.part === 'certification' ? `Z${p.number}` : String(p.number))).join(' ');
}

describe('volume page plan', () => {
  it('lays a one-sided volume out as cover, body, certification, numbering the body from 1', () => {
    expect(parts(planPages({ coverPages: 1, bodyPages: 4, certificationPages: 1, duplex: false }))).toBe('C 1 2 3 4 Z5');
    expect(parts(planPages({ coverPages: 0, bodyPages: 3, certificationPages: 1, duplex: false }))).toBe('1 2 3 Z4');
  });

  it('gives a two-sided volume blank backs after the cover and an odd body, as sheet-count.ts documents', () => {
    expect(parts(planPages({ coverPages: 1, bodyPages: 5, certificationPages: 1, duplex: true }))).toBe('C _ 1 2 3 4 5 _ Z6');
    expect(parts(planPages({ coverPages: 1, bodyPages: 4, certificationPages: 2, duplex: true }))).toBe('C _ 1 2 3 4 Z5 _ Z6');
    expect(parts(planPages({ coverPages: 0, bodyPages: 2, certificationPages: 1, duplex: true }))).toBe('1 2 Z3');
  });

  it('always has as many pages as volumePdfPages, and ⌈P/2⌉ or P sheets with the setting on', () => {
    for (const duplex of [false, true]) {
      for (const coverPages of [0, 1, 2]) {
        for (const certificationPages of [1, 2]) {
          for (let bodyPages = 1; bodyPages <= 9; bodyPages += 1) {
            const plan = planPages({ coverPages, bodyPages, certificationPages, duplex });
            expect(plan.length).toBe(volumePdfPages({ pages: bodyPages, duplex, coverPages, certificationPages }));
            const sheets = sheetCount({ pages: bodyPages, duplex, coverPages, certificationPages, countCoverAndCertification: true });
            expect(sheets).toBe(duplex ? Math.ceil(plan.length / 2) : plan.length);
            // Every printed page carries a distinct number in order; blanks and covers none.
            const numbers = plan.flatMap((p) => (p.part === 'body' || p.part === 'certification' ? [p.number] : []));
            expect(numbers).toEqual(Array.from({ length: bodyPages + certificationPages }, (_, i) => i + 1));
          }
        }
      }
    }
  });

  it('finds the first page of each section after the title page and the contents', () => {
    expect(sectionStartPages(1, 1, [2, 5, 1])).toEqual([3, 5, 10]);
    expect(sectionStartPages(1, 2, [])).toEqual([]);
    expect(sectionStartPages(2, 3, [1])).toEqual([6]);
  });

  it('uses placeholders as wide as the widest page number, and a centred dash footer', () => {
    expect(placeholderPageNumber(9)).toBe('8');
    expect(placeholderPageNumber(10)).toBe('88');
    expect(placeholderPageNumber(1234)).toBe('8888');
    expect(pageLabel(12)).toBe('— 12 —');
  });
});

describe('inParallel', () => {
  it('keeps the order of the results and never runs more tasks at once than allowed', async () => {
    let running = 0;
    let peak = 0;
    const results = await inParallel(7, 2, undefined, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((done) => setTimeout(done, (7 - i) * 2));
      running -= 1;
      return i * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(peak).toBe(2);
  });

  it('starts nothing more after a failure or a cancellation and reports it', async () => {
    const started: number[] = [];
    await expect(
      inParallel(6, 2, undefined, async (i) => {
        started.push(i);
        if (i === 1) throw new Error('сбой');
        await new Promise((done) => setTimeout(done, 5));
        return i;
      }),
    ).rejects.toThrow('сбой');
    expect(started.length).toBeLessThan(6);

    const controller = new AbortController();
    const ran: number[] = [];
    const error = await inParallel(6, 1, controller.signal, async (i) => {
      ran.push(i);
      if (i === 2) controller.abort();
      return i;
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(ran).toEqual([0, 1, 2]);
  });
});
