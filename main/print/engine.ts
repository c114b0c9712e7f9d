/**
 * The one seam between documents and the thing that turns HTML into PDF. Outside Electron it is
 * puppeteer-core driving a system Chromium (chromium.ts); inside Electron the shell may provide
 * a `webContents.printToPDF` engine with the same small interface.
 */
export interface PdfPrintOptions {
  /** A4 landscape instead of portrait. */
  landscape?: boolean;
  /** The document's title (also written into the page's <title>, which Chromium puts in the PDF). */
  title: string;
  /**
   * The engine's own footer «Стр. N из M» (default true). The volume printer turns it off: it
   * prints a volume in chunks and stamps the page numbers of the whole volume after merging.
   */
  footer?: boolean;
  /**
   * A tagged (accessible) PDF. Default false: tagging makes Chromium several times slower and
   * the file many times bigger (toolchain.md), and nothing here reads the tags.
   */
  tagged?: boolean;
}

/**
 * A batch of prints that shares one browser (or window): the volume printer opens one per volume
 * or per batch of volumes instead of starting a browser for every chunk. `parallel` prints may
 * run at once (the machine's cores); more are queued.
 */
export interface PdfSession {
  readonly parallel: number;
  print(html: string, options: PdfPrintOptions): Promise<Buffer>;
  close(): Promise<void>;
}

export interface PdfEngine {
  print(html: string, options: PdfPrintOptions): Promise<Buffer>;
  /** A reusable session; engines without one get a session of single prints (openPdfSession). */
  openSession?(): Promise<PdfSession>;
}

/** The engine's own session, or one that calls `engine.print` for each chunk, one at a time. */
export async function openPdfSession(engine: PdfEngine): Promise<PdfSession> {
  if (engine.openSession) return engine.openSession();
  return { parallel: 1, print: (html, options) => engine.print(html, options), close: async () => undefined };
}

/** Page margins of every printout: a wider binding edge on the left (portrait) or top (landscape). */
export const PAGE_MARGINS = {
  portrait: { top: '15mm', right: '10mm', bottom: '16mm', left: '25mm' },
  landscape: { top: '20mm', right: '10mm', bottom: '14mm', left: '12mm' },
} as const;

/** The footer of every page: «Стр. N из M», Chromium fills the numbers in. */
export const FOOTER_TEMPLATE =
  '<div style="width:100%;font-family:\'PT Serif\',\'Times New Roman\',serif;font-size:8pt;color:#333;text-align:center;">' +
  'Стр. <span class="pageNumber"></span> из <span class="totalPages"></span></div>';

/**
 * The number of pages of a PDF, read in JS (no pdfinfo on Windows): counts the page leaves
 * (`/Type /Page`, not `/Pages`) of an uncompressed object table as Chromium/Skia writes it,
 * falling back to the largest `/Count` of a page-tree node.
 */
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const leaves = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  if (leaves > 0) return leaves;
  let best = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)) best = Math.max(best, Number(m[1]));
  for (const m of text.matchAll(/\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) best = Math.max(best, Number(m[1]));
  return best;
}
