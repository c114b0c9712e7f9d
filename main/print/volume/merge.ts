import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import type { DocumentMeta } from '../../../templates/types';
import { fontFilesDir } from '../fonts';
import { pageLabel, type PlannedPage } from './page-plan';

/** A4 portrait as Chromium writes it, in PDF points (the blank backs of a two-sided print). */
const A4: [number, number] = [595.92, 841.92];
/** The page number's baseline above the bottom edge (inside Chromium's bottom margin). */
const FOOTER_BASELINE = 8 * 2.8346;
const FOOTER_SIZE = 9;

export interface VolumeParts {
  cover: Buffer | null;
  /** The body in order: title page, contents, sections — one PDF per chunk. */
  body: Buffer[];
  certification: Buffer;
}

let footerFontBytes: Buffer | null = null;

/**
 * PT Sans (the latin subset: digits and the dash of «— N —»), the same face the chunks use.
 * Embedded as a subset through fontkit: pdf-lib's standard fonts are not embedded at all.
 */
function footerFont(): Buffer {
  footerFontBytes ??= readFileSync(join(fontFilesDir('@fontsource/pt-sans'), 'pt-sans-latin-400-normal.woff'));
  return footerFontBytes;
}

async function loadChunk(bytes: Buffer): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

function stamp(page: ReturnType<PDFDocument['addPage']>, font: PDFFont, number: number): void {
  const text = pageLabel(number);
  const width = font.widthOfTextAtSize(text, FOOTER_SIZE);
  page.drawText(text, { x: (page.getWidth() - width) / 2, y: FOOTER_BASELINE, size: FOOTER_SIZE, font, color: rgb(0.15, 0.15, 0.15) });
}

/**
 * Merges the printed chunks into the volume laid out by `plan`, stamps the page numbers and
 * writes the document information. Returns the PDF's bytes (classic xref, no object streams,
 * so that countPdfPages in engine.ts reads it too).
 */
export async function mergeVolume(parts: VolumeParts, plan: readonly PlannedPage[], meta: DocumentMeta, at: Date): Promise<Uint8Array> {
  const out = await PDFDocument.create({ updateMetadata: false });
  out.registerFontkit(fontkit);
  const font = await out.embedFont(footerFont(), { subset: true });

  const cover = parts.cover ? await copyAll(out, parts.cover) : [];
  const certification = await copyAll(out, parts.certification);
  // The body is copied chunk by chunk as the plan reaches it, so only one source is parsed at a time.
  let bodyChunk = 0;
  let bodyQueue: ReturnType<PDFDocument['addPage']>[] = [];

  for (const planned of plan) {
    if (planned.part === 'blank') {
      out.addPage(A4);
      continue;
    }
    if (planned.part === 'cover') {
      out.addPage(required(cover[planned.index], 'обложка'));
      continue;
    }
    if (planned.part === 'certification') {
      const page = out.addPage(required(certification[planned.index], 'лист-заверитель'));
      stamp(page, font, planned.number);
      continue;
    }
    while (bodyQueue.length === 0) {
      const chunk = parts.body[bodyChunk];
      if (!chunk) throw new Error('Сборка тома: страниц документа меньше, чем в плане');
      bodyChunk += 1;
      bodyQueue = await copyAll(out, chunk);
    }
    const page = out.addPage(bodyQueue.shift() as ReturnType<PDFDocument['addPage']>);
    stamp(page, font, planned.number);
  }
  if (bodyQueue.length > 0 || bodyChunk < parts.body.length) throw new Error('Сборка тома: страниц документа больше, чем в плане');

  out.setTitle(meta.title);
  out.setAuthor(meta.author);
  out.setSubject(meta.subject);
  out.setKeywords(meta.keywords);
  out.setCreator('Канцелярия');
  out.setProducer('Канцелярия (Chromium, pdf-lib)');
  out.setCreationDate(at);
  out.setModificationDate(at);
  return out.save({ useObjectStreams: false });
}

async function copyAll(out: PDFDocument, bytes: Buffer): Promise<ReturnType<PDFDocument['addPage']>[]> {
  const source = await loadChunk(bytes);
  return out.copyPages(source, source.getPageIndices());
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Сборка тома: не хватает страниц (${what})`);
  return value;
}
