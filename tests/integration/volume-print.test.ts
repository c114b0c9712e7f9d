import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { sheetsInWords } from '../../common/domain/number-words';
import { ChromiumEngine, ChromiumSession } from '../../main/print/chromium';
import type { PdfSession } from '../../main/print/engine';
import { printVolume, type PrintedVolume, type PrintVolumeOptions } from '../../main/print/volume/print-volume';
import type { VolumeSection, VolumeSource } from '../../main/print/volume/source';

/**
 * The volume printer with a real Chromium: a synthetic document (sections long enough to span
 * pages, landscape and portrait, Cyrillic text) printed as a volume and alone, one- and
 * two-sided, with the cover-and-certification setting on and off; checked with poppler.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const OUT = process.env.PRINT_OUT ?? mkdtempSync(join(tmpdir(), 'school-office-volume-test-'));

function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
function pdfPages(path: string): number {
  return Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [path]))?.[1]);
}
function pageText(path: string, page: number): string {
  return tool('pdftotext', ['-layout', '-f', String(page), '-l', String(page), path, '-']);
}
/**
 * The text inside the page's printable area only (A4 portrait, 72 dpi: points; right margin
 * 10 mm): pdftotext would also return text laid out past the paper's edge, which nobody sees.
 */
function visibleText(path: string, page: number): string {
  return tool('pdftotext', ['-layout', '-r', '72', '-x', '0', '-y', '0', '-W', String(595 - 28), '-H', '842', '-f', String(page), '-l', String(page), path, '-']);
}
/** The stamped page number «— N —» (pdftotext may drop the thin spaces around the number). */
function stampOf(page: number): RegExp {
  return new RegExp(`—\\s*${page}\\s*—`);
}
function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const PUPILS = ['Абрамова Мария', 'Борисов Пётр', 'Васильева Ёлка', 'Григорьев Илья', 'Дмитриева Анна', 'Ершов Степан'];
const TOPICS = ['Имя существительное', 'Правописание приставок', 'Сложноподчинённое предложение', 'Причастный оборот'];

/** A marks grid: 45 pupils × 30 dates, landscape, with a repeated header — about two pages. */
function gridSection(heading: string): VolumeSection {
  return {
    heading,
    landscape: true,
    renderBody() {
      const dates = Array.from({ length: 30 }, (_, i) => `<th class="num">${String((i % 28) + 1).padStart(2, '0')}.10</th>`).join('');
      const rows = Array.from({ length: 45 }, (_, r) => {
        const cells = Array.from({ length: 30 }, (_, c) => `<td class="num">${(r + c) % 7 === 0 ? 'н' : (r * c) % 5 === 1 ? String(2 + ((r + c) % 4)) : ''}</td>`).join('');
        return `<tr><td class="num">${r + 1}</td><td class="nowrap">${PUPILS[r % PUPILS.length]} ${r + 1}</td>${cells}</tr>`;
      }).join('');
      return `<h2 class="section-heading">${heading}</h2><table class="grid"><thead><tr><th>№</th><th>Обучающийся</th>${dates}</tr></thead><tbody>${rows}</tbody></table>`;
    },
  };
}

/** A lessons page: 140 lessons with topic and homework, portrait — several pages. */
function lessonsSection(heading: string, lessons: number): VolumeSection {
  return {
    heading,
    landscape: false,
    renderBody() {
      const rows = Array.from(
        { length: lessons },
        (_, i) => `<tr><td class="num">${i + 1}</td><td class="num">${String((i % 28) + 1).padStart(2, '0')}.11</td><td>${TOPICS[i % TOPICS.length]}, урок ${i + 1}</td><td>§ ${i + 3}, упр. ${i * 2 + 1}</td></tr>`,
      ).join('');
      return `<h2 class="section-heading">${heading}</h2><table class="grid"><thead><tr><th>№</th><th>Дата</th><th>Тема урока</th><th>Домашнее задание</th></tr></thead><tbody>${rows}</tbody></table>`;
    },
  };
}

function syntheticSource(): VolumeSource {
  return {
    kind: 'class_journal',
    meta: { title: 'Классный журнал 5Ж класса', author: 'МБОУ «Средняя школа № 7»', subject: 'Классный журнал 2025/2026', keywords: ['журнал', '5Ж', '2025/2026'] },
    school: { name: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»', address: 'г. Энск, ул. Садовая, д. 1', directorShort: 'И. П. Сидорова' },
    title: 'Классный журнал 5Ж класса',
    yearName: '2025/2026',
    classLabel: '5Ж',
    dateFrom: '2025-09-01',
    dateTo: '2026-05-31',
    certificationNoun: 'журнале',
    css: '.section-heading { font-size: 13pt; margin-bottom: 6pt; } .title-page { text-align: center; padding-top: 60mm; font-size: 20pt; }',
    titlePageBody: '<div class="title-page">КЛАССНЫЙ ЖУРНАЛ<br/>5Ж класса<br/>2025/2026 учебный год</div>',
    sections: [
      gridSection('Раздел Алгебра: отметки'),
      lessonsSection('Раздел Алгебра: уроки', 140),
      gridSection('Раздел Литература: отметки'),
      lessonsSection('Раздел Литература: уроки', 25),
      // A heading as long as real ones («Основы духовно-нравственной культуры народов России»).
      lessonsSection('Раздел Основы духовно-нравственной культуры народов России', 6),
      lessonsSection('Раздел Итоговые отметки', 8),
    ],
    baseName: 'Журнал 5Ж 2025-2026',
    audit: { entity: 'school_class', entityId: 1, classId: 1, yearId: 1 },
  };
}

const COVER = { archiveNo: '05-17', version: 2, retentionYears: 5, destroyAfter: '2031-12-31' };
const FINGERPRINT = 'SHA256:3f9a1c0b5d7e2f44aa09be61c7d3e5f28b1a0c9d7e6f5a4b3c2d1e0f9a8b7c6d';

describe.skipIf(!HAVE_CHROMIUM)('volume printer with Chromium', () => {
  let session: PdfSession;
  beforeAll(async () => {
    session = await new ChromiumEngine(CHROMIUM).openSession();
  });
  afterAll(async () => {
    await session.close();
    if (!process.env.PRINT_OUT) rmSync(OUT, { recursive: true, force: true });
  });

  async function print(name: string, options: Partial<PrintVolumeOptions>): Promise<{ printed: PrintedVolume; path: string }> {
    const path = join(OUT, `${name}.pdf`);
    const started = Date.now();
    const printed = await printVolume(syntheticSource(), {
      asVolume: true,
      duplex: false,
      countCoverAndCertification: false,
      cover: COVER,
      keyFingerprint: FINGERPRINT,
      today: '2026-06-20',
      outFile: path,
      session,
      ...options,
    });
    console.log(`${name}: ${printed.pages} стр., ${printed.sheets} л., ${(Date.now() - started) / 1000} с`);
    return { printed, path };
  }

  /** The contents page's entries «heading …… N» mapped to the PDF pages they point to. */
  function expectContentsPointRight(path: string, firstBodyPdfPage: number): void {
    // Read within the paper: a leader that pushed the numbers past the right edge fails here.
    const contents = visibleText(path, firstBodyPdfPage + 1);
    expect(contents).toContain('СОДЕРЖАНИЕ');
    const entries = [...contents.matchAll(/(Раздел [^.\n]+?)[\s.]+(\d+)\s*$/gm)].map((m) => ({ heading: (m[1] ?? '').trim(), page: Number(m[2]) }));
    expect(entries.map((e) => e.heading)).toEqual(syntheticSource().sections.map((s) => s.heading));
    for (const entry of entries) {
      const text = pageText(path, firstBodyPdfPage - 1 + entry.page);
      expect(squeeze(text)).toContain(entry.heading);
      // The stamped number at the foot of that page is the number the contents gives.
      expect(text).toMatch(stampOf(entry.page));
    }
    // Grids are landscape, lessons portrait.
    for (const entry of entries) {
      const size = /size:\s+([\d.]+) x ([\d.]+)/.exec(tool('pdfinfo', ['-f', String(firstBodyPdfPage - 1 + entry.page), '-l', String(firstBodyPdfPage - 1 + entry.page), path]));
      const landscape = Number(size?.[1]) > Number(size?.[2]);
      expect(landscape).toBe(entry.heading.endsWith('отметки') && !entry.heading.includes('Итоговые'));
    }
    // Sections start on the pages in order, and some section spans more than one page.
    const starts = entries.map((e) => e.page);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.some((start, i) => i > 0 && start - (starts[i - 1] ?? 0) > 1)).toBe(true);
  }

  function expectCertification(path: string, pdfPage: number, sheets: number): void {
    const text = squeeze(pageText(path, pdfPage));
    expect(text).toContain(`В настоящем журнале пронумеровано, прошнуровано и скреплено печатью ${sheetsInWords(sheets)}.`);
    // Read back independently: the figure is the count, and the noun agrees with it.
    const stated = /печатью (\d+) \(([а-яё ]+)\) (лист|листа|листов)\./.exec(text);
    expect(Number(stated?.[1])).toBe(sheets);
    const lastTwo = sheets % 100;
    const noun = lastTwo >= 11 && lastTwo <= 14 ? 'листов' : sheets % 10 === 1 ? 'лист' : sheets % 10 >= 2 && sheets % 10 <= 4 ? 'листа' : 'листов';
    expect(stated?.[3]).toBe(noun);
    expect(text).toContain('Директор');
    expect(text).toContain('/И. П. Сидорова/');
    expect(text).toContain('М. П.');
    expect(text).toContain('20.06.2026');
  }

  it('prints a one-sided volume: cover, contents pointing at the right pages, certification with the sheets, embedded fonts, metadata', async () => {
    const { printed, path } = await print('one-sided', {});
    expect(pdfPages(path)).toBe(printed.pages);
    // Setting off: neither the cover nor the certification sheet is counted.
    expect(printed.sheets).toBe(printed.pages - 2);

    const cover = squeeze(pageText(path, 1));
    expect(cover).toContain('Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»');
    expect(cover).toContain('ДЕЛО № 05-17');
    expect(cover).toContain('версия 2');
    expect(cover).toContain('Классный журнал 5Ж класса');
    expect(cover).toContain('2025/2026 учебный год');
    expect(cover).toContain('с 01.09.2025 по 31.05.2026');
    expect(cover).toMatch(new RegExp(`На ${printed.sheets} (листе|листах)`));
    expect(cover).toContain('Срок хранения: 5 лет');
    expect(cover).toContain('Хранить до: 31.12.2031 включительно');
    // The cover carries no page number; the title page is page 1.
    expect(pageText(path, 1)).not.toMatch(/—\s*\d+\s*—/);
    expect(pageText(path, 2)).toMatch(stampOf(1));

    expectContentsPointRight(path, 2);
    expectCertification(path, printed.pages, printed.sheets);
    const last = squeeze(pageText(path, printed.pages));
    expect(last).toContain('ЛИСТ-ЗАВЕРИТЕЛЬ');
    expect(last).toContain('дела № 05-17, версия 2');
    expect(last).toContain(`Отпечаток ключа электронной подписи архива: ${FINGERPRINT}`);

    const fonts = tool('pdffonts', [path]).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThan(1);
    // Columns: name type encoding emb sub uni object ID — every font embedded (pdf-lib subsets the
    // page numbers' face without the tag pdffonts reads as «sub»).
    for (const row of fonts) expect(row).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
    // Only the shipped faces: no system fallback font slipped in (a face not loaded in time would).
    for (const row of fonts) expect(row).toMatch(/^[A-Z]{6}\+PT(Serif|Sans)|^PTSans-Regular/);
    expect(fonts.some((row) => /PTSans/.test(row))).toBe(true);
    expect(fonts.some((row) => /PTSerif/.test(row))).toBe(true);

    const info = tool('pdfinfo', [path]);
    expect(info).toMatch(/Title:\s+Классный журнал 5Ж класса/);
    expect(info).toMatch(/Author:\s+МБОУ «Средняя школа № 7»/);
    expect(info).toMatch(/Subject:\s+Классный журнал 2025\/2026/);
    expect(info).toMatch(/Keywords:\s+журнал 5Ж 2025\/2026/);
    expect(info).toMatch(/Creator:\s+Канцелярия/);
    expect(info).toMatch(/Tagged:\s+no/);
  });

  it('prints a two-sided volume with the setting on: blank backs where documented, sheets = half the pages rounded up', async () => {
    const { printed, path } = await print('two-sided-counted', { duplex: true, countCoverAndCertification: true });
    expect(pdfPages(path)).toBe(printed.pages);
    expect(printed.sheets).toBe(Math.ceil(printed.pages / 2));
    // Cover, then its blank back; the title page is the third PDF page.
    expect(squeeze(pageText(path, 2))).toBe('');
    expect(pageText(path, 3)).toMatch(stampOf(1));
    expectContentsPointRight(path, 3);
    expectCertification(path, printed.pages, printed.sheets);
    // The body is padded to whole sheets: the certification starts on a fresh sheet (odd page).
    expect(printed.pages % 2).toBe(1);

    // The same volume with the setting off: the same sheets of paper, the cover's and the
    // certification's left out of the number.
    const uncounted = await print('two-sided-uncounted', { duplex: true, countCoverAndCertification: false });
    expect(pdfPages(uncounted.path)).toBe(uncounted.printed.pages);
    expect(uncounted.printed.pages).toBe(printed.pages);
    expect(uncounted.printed.sheets).toBe(Math.ceil(uncounted.printed.pages / 2) - 2);
    expectCertification(uncounted.path, uncounted.printed.pages, uncounted.printed.sheets);
    expect(squeeze(pageText(uncounted.path, 1))).toMatch(new RegExp(`На ${uncounted.printed.sheets} (листе|листах)`));
  });

  it('prints the document alone two-sided with the setting off, and one-sided with it on', async () => {
    const alone = await print('alone-two-sided', { asVolume: false, cover: null, duplex: true, countCoverAndCertification: false, keyFingerprint: null });
    expect(pdfPages(alone.path)).toBe(alone.printed.pages);
    // No cover: only the certification sheet (one page, the last) is left out of the count.
    expect(alone.printed.sheets).toBe(Math.ceil(alone.printed.pages / 2) - 1);
    expect(pageText(alone.path, 1)).toMatch(stampOf(1));
    expectContentsPointRight(alone.path, 1);
    expectCertification(alone.path, alone.printed.pages, alone.printed.sheets);
    expect(pageText(alone.path, alone.printed.pages)).not.toContain('Отпечаток ключа');

    const counted = await print('alone-one-sided', { asVolume: false, cover: null, duplex: false, countCoverAndCertification: true, keyFingerprint: null });
    expect(pdfPages(counted.path)).toBe(counted.printed.pages);
    expect(counted.printed.sheets).toBe(counted.printed.pages);
    expectCertification(counted.path, counted.printed.pages, counted.printed.sheets);
    // The same document: the one-sided body is the two-sided one without its padding.
    expect(counted.printed.pages - 1).toBeLessThanOrEqual(alone.printed.pages - 1);
  });

  it('restarts a worn browser in the middle of a volume without losing or reordering a chunk', async () => {
    const worn = new ChromiumSession(CHROMIUM, { browsers: 1, pagesPerBrowser: 2, restartAfter: 3, tabPrints: 2 });
    try {
      const path = join(OUT, 'restarted.pdf');
      const printed = await printVolume(syntheticSource(), {
        asVolume: false,
        duplex: false,
        countCoverAndCertification: true,
        cover: null,
        keyFingerprint: null,
        today: '2026-06-20',
        outFile: path,
        session: worn,
      });
      // 6 body chunks, the contents twice, the certification: 9 prints, a browser every 3.
      expect(worn.launches).toBeGreaterThanOrEqual(3);
      expect(pdfPages(path)).toBe(printed.pages);
      expectContentsPointRight(path, 1);
      expectCertification(path, printed.pages, printed.sheets);
    } finally {
      await worn.close();
    }
  });

  it('stops when cancelled and leaves neither the file nor a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'school-office-volume-cancel-'));
    const controller = new AbortController();
    const stages: string[] = [];
    const outFile = join(dir, 'том.pdf');
    const error = await printVolume(syntheticSource(), {
      asVolume: true,
      duplex: false,
      countCoverAndCertification: false,
      cover: COVER,
      keyFingerprint: null,
      today: '2026-06-20',
      outFile,
      session,
      signal: controller.signal,
      onProgress(done, total, stage) {
        stages.push(stage);
        if (done >= 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('cancelled');
    expect((error as ApiError).message).toBe('Печать отменена.');
    expect(readdirSync(dir)).toEqual([]);
    // Progress names the parts being printed, never anything personal.
    expect(stages[0]).toBe('Печать: титульный лист');
    expect(stages).toContain('Печать: Раздел Алгебра: отметки');
    expect(stages).not.toContain('Готово');
    rmSync(dir, { recursive: true, force: true });
  });
});
