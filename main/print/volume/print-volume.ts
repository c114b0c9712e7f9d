import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { ApiError } from '../../../common/api/errors';
import { sheetCount, sheetsForCertification } from '../../../common/domain/sheet-count';
import { certificationBody, CERTIFICATION_CSS } from '../../../templates/volume/certification';
import { contentsBody, CONTENTS_CSS } from '../../../templates/volume/contents';
import { coverBody, COVER_CSS } from '../../../templates/volume/cover';
import { writeDurably } from '../../../db/durable-file';
import { pdfEngine } from '../chromium';
import { countPdfPages, openPdfSession, type PdfEngine, type PdfSession } from '../engine';
import { chunkShell } from './chunk-html';
import { mergeVolume } from './merge';
import { placeholderPageNumber, planPages, sectionStartPages } from './page-plan';
import type { VolumeSource } from './source';

/**
 * Prints a document (class journal, summary ledger) as one PDF, or as an archive volume:
 *   [cover] → title page → contents → sections → certification sheet (лист-заверитель).
 *
 * Each part is its own chunk printed untagged by Chromium without its header and footer, up to
 * `session.parallel` chunks at once (both cores); the chunks are merged with pdf-lib, the page
 * numbers stamped (page-plan.ts), and the blank backs of a two-sided print inserted as
 * common/domain/sheet-count.ts lays them out. Two passes make the printed numbers exact: the
 * first prints the title page and the sections, with drafts of the contents and the cover
 * (placeholder numbers) to learn their length; the second, once the body is counted, prints the
 * contents with the real page numbers and the certification sheet and the cover with the real
 * number of sheets — and is repeated if one of them did not take the pages the count assumed.
 */

export interface PrintVolumeOptions {
  /** With the archive cover (sealing) or the document alone (`print journal|ledger`). */
  asVolume: boolean;
  duplex: boolean;
  /** Setting: do cover and certification sheets count (common/domain/sheet-count.ts). */
  countCoverAndCertification: boolean;
  /** Printed on the cover when asVolume. */
  cover: { archiveNo: string; version: number; retentionYears: number; destroyAfter: string } | null;
  /** The archive key's fingerprint, printed on the certification sheet (null: no key yet). */
  keyFingerprint: string | null;
  /** The date printed on the certification sheet (ISO). */
  today: string;
  /** Destination; written durably (temp + fsync + rename). */
  outFile: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string) => void;
  engine?: PdfEngine; // default: pdfEngine()
  /** A session shared by the volumes of a batch (one browser for all); left open. */
  session?: PdfSession;
}

export interface PrintedVolume {
  pages: number;
  sheets: number;
  sha256: string;
  bytes: number;
}

const VOLUME_CSS = `${COVER_CSS}\n${CONTENTS_CSS}\n${CERTIFICATION_CSS}`;
/** A re-render that still changes the page count after this many rounds is a template bug. */
const MAX_ROUNDS = 3;

interface Chunk {
  pdf: Buffer;
  pages: number;
}

export function cancelledError(): ApiError {
  return new ApiError('cancelled', 'Печать отменена.');
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

export async function printVolume(source: VolumeSource, options: PrintVolumeOptions): Promise<PrintedVolume> {
  if (options.asVolume && !options.cover) throw new Error('Печать тома: для обложки нужны номер дела и срок хранения');
  throwIfCancelled(options.signal);
  const session = options.session ?? (await openPdfSession(options.engine ?? pdfEngine()));
  try {
    return await printWith(session, source, options);
  } finally {
    if (!options.session) await session.close();
  }
}

async function printWith(session: PdfSession, source: VolumeSource, options: PrintVolumeOptions): Promise<PrintedVolume> {
  const { signal } = options;
  const shell = chunkShell(source.meta, `${VOLUME_CSS}\n${source.css}`);
  const total = source.sections.length + 3 + (options.asVolume ? 1 : 0);
  let done = 0;
  const progress = (stage: string): void => options.onProgress?.(done, total, stage);

  const printChunk = async (body: string, landscape: boolean): Promise<Chunk> => {
    const pdf = await session.print(shell(body, landscape), { landscape, title: source.meta.title, footer: false, tagged: false });
    const pages = countPdfPages(pdf);
    if (pages < 1) throw new Error('Печать тома: не удалось сосчитать страницы части документа');
    return { pdf, pages };
  };
  const contentsChunk = (pageOf: (index: number) => string) =>
    printChunk(contentsBody({ title: source.title, entries: source.sections.map((s, i) => ({ heading: s.heading, page: pageOf(i) })) }), false);
  const coverChunk = (sheets: number) => {
    const cover = options.cover as NonNullable<PrintVolumeOptions['cover']>;
    return printChunk(coverBody({ school: source.school, title: source.title, yearName: source.yearName, dateFrom: source.dateFrom, dateTo: source.dateTo, sheets, ...cover }), false);
  };

  // First pass, in parallel on the session's tabs: the title page, the sections (each section's
  // HTML built only when its turn comes), and drafts of the contents and the cover with
  // placeholder numbers, to learn how many pages they take.
  const placeholder = placeholderPageNumber(999);
  const firstPass: { stage: string | null; print: () => Promise<Chunk> }[] = [
    { stage: 'Печать: титульный лист', print: () => printChunk(source.titlePageBody, false) },
    { stage: null, print: () => contentsChunk(() => placeholder) },
    ...(options.asVolume ? [{ stage: null, print: () => coverChunk(Number(placeholder)) }] : []),
    ...source.sections.map((s) => ({ stage: `Печать: ${s.heading}`, print: async () => printChunk(await s.renderBody(), s.landscape) })),
  ];
  const printed = await inParallel(firstPass.length, session.parallel, signal, async (i) => {
    const task = firstPass[i] as (typeof firstPass)[number];
    if (task.stage) progress(task.stage);
    const chunk = await task.print();
    if (task.stage) done += 1;
    return chunk;
  });
  const title = printed[0] as Chunk;
  let contentsPages = (printed[1] as Chunk).pages;
  let coverPages = options.asVolume ? (printed[2] as Chunk).pages : 0;
  const sections = printed.slice(options.asVolume ? 3 : 2);
  const sectionPages = sections.map((s) => s.pages);
  let certificationPages = 1;

  // Second pass: the contents with the real page numbers, the certification sheet and the cover
  // with the real number of sheets. Any of them taking other pages than assumed moves the
  // numbers: then the pass is repeated with the new counts.
  for (let round = 0; ; round += 1) {
    throwIfCancelled(signal);
    const starts = sectionStartPages(title.pages, contentsPages, sectionPages);
    const bodyPages = title.pages + contentsPages + sectionPages.reduce((a, b) => a + b, 0);
    const coverPdfPages = options.duplex ? 2 * coverPages : coverPages;
    const bodyPdfPages = options.duplex ? bodyPages + (bodyPages % 2) : bodyPages;
    const sheets = sheetsForCertification({
      pagesBeforeCertification: coverPdfPages + bodyPdfPages,
      duplex: options.duplex,
      coverPages,
      certificationPages,
      countCoverAndCertification: options.countCoverAndCertification,
    });
    const secondPass: { stage: string; print: () => Promise<Chunk> }[] = [
      { stage: 'Печать: содержание', print: () => contentsChunk((i) => String(starts[i])) },
      {
        stage: 'Печать: лист-заверитель',
        print: () =>
          printChunk(
            certificationBody({
              school: source.school,
              certificationNoun: source.certificationNoun,
              sheets,
              date: options.today,
              archive: options.asVolume && options.cover ? { archiveNo: options.cover.archiveNo, version: options.cover.version } : null,
              keyFingerprint: options.keyFingerprint,
              pages: bodyPages,
              duplex: options.duplex,
              countCoverAndCertification: options.countCoverAndCertification,
              asVolume: options.asVolume,
            }),
            false,
          ),
      },
      ...(options.asVolume ? [{ stage: 'Печать: обложка', print: () => coverChunk(sheets) }] : []),
    ];
    const [contents, certification, cover] = (await inParallel(secondPass.length, session.parallel, signal, async (i) => {
      const task = secondPass[i] as (typeof secondPass)[number];
      progress(task.stage);
      const chunk = await task.print();
      done += 1;
      return chunk;
    })) as [Chunk, Chunk, Chunk | undefined];
    const settled = contents.pages === contentsPages && certification.pages === certificationPages && (cover?.pages ?? 0) === coverPages;
    if (!settled) {
      if (round + 1 >= MAX_ROUNDS) throw new Error('Печать тома: содержание, лист-заверитель или обложка меняют число страниц при каждой печати');
      contentsPages = contents.pages;
      certificationPages = certification.pages;
      coverPages = cover?.pages ?? 0;
      done = source.sections.length + 1;
      continue;
    }
    // The same rule counted directly: the number printed is the number of sheets there are.
    const check = sheetCount({ pages: bodyPages, duplex: options.duplex, coverPages, certificationPages, countCoverAndCertification: options.countCoverAndCertification });
    if (check !== sheets) throw new Error(`Печать тома: листов ${sheets}, а по счёту ${check}`);
    throwIfCancelled(signal);
    done = total - 1;
    progress('Сборка PDF');
    const plan = planPages({ coverPages, bodyPages, certificationPages, duplex: options.duplex });
    const body = [title, contents, ...sections].map((c) => c.pdf);
    const bytes = await mergeVolume({ cover: cover?.pdf ?? null, body, certification: certification.pdf }, plan, source.meta, new Date());
    throwIfCancelled(signal);
    await writeDurably(options.outFile, (tmp) => writeFile(tmp, bytes));
    done = total;
    progress('Готово');
    return { pages: plan.length, sheets, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  }
}

/**
 * Runs `count` tasks, at most `parallel` at once, results in task order. A failure or a
 * cancellation stops new tasks from starting; the running ones are awaited before it is thrown.
 */
export async function inParallel<T>(count: number, parallel: number, signal: AbortSignal | undefined, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < count) {
      if (signal?.aborted) {
        failure = { error: cancelledError() };
        break;
      }
      const index = next;
      next += 1;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
