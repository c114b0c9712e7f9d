import { BrowserWindow } from 'electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOOTER_TEMPLATE, PAGE_MARGINS, type PdfEngine, type PdfPrintOptions, type PdfSession } from '../print/engine';

/**
 * The PDF engine inside Electron: `webContents.printToPDF` of a hidden, sandboxed window that
 * runs no scripts. The HTML is written to a temporary file and loaded from it (a data: URL of a
 * long journal would pass Chromium's URL length limit); fonts are inlined in the HTML as data
 * URLs, so nothing is fetched. Same interface as the puppeteer engine (main/print/chromium.ts).
 */

const MM_PER_INCH = 25.4;
/** Two windows print at once: the machine's two cores (see bench `print-journal`). */
const SESSION_WINDOWS = 2;

function inches(length: string): number {
  return Number.parseFloat(length) / MM_PER_INCH;
}

function margins(landscape: boolean): { top: number; right: number; bottom: number; left: number } {
  const m = landscape ? PAGE_MARGINS.landscape : PAGE_MARGINS.portrait;
  return { top: inches(m.top), right: inches(m.right), bottom: inches(m.bottom), left: inches(m.left) };
}

/** One hidden window and its own HTML file in the folder of its session. */
class PrintWindow {
  private readonly window: BrowserWindow;

  constructor(private readonly htmlFile: string) {
    this.window = new BrowserWindow({
      show: false,
      webPreferences: {
        sandbox: true,
        javascript: false,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        backgroundThrottling: false,
      },
    });
  }

  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    await writeFile(this.htmlFile, html, 'utf8');
    await this.window.loadFile(this.htmlFile);
    const landscape = options.landscape ?? false;
    const footer = options.footer ?? true;
    const data = await this.window.webContents.printToPDF({
      pageSize: 'A4',
      landscape,
      printBackground: true,
      margins: margins(landscape),
      preferCSSPageSize: false,
      generateTaggedPDF: options.tagged ?? false,
      generateDocumentOutline: false,
      displayHeaderFooter: footer,
      ...(footer ? { headerTemplate: '<span></span>', footerTemplate: FOOTER_TEMPLATE } : {}),
    });
    return Buffer.from(data);
  }

  close(): void {
    if (!this.window.isDestroyed()) this.window.destroy();
  }
}

/** A few hidden windows reused for every chunk of a volume or a batch. */
class ElectronSession implements PdfSession {
  readonly parallel = SESSION_WINDOWS;
  private readonly folder = mkdtempSync(join(tmpdir(), 'school-office-print-'));
  private readonly idle: PrintWindow[] = [];
  private readonly waiting: ((window: PrintWindow) => void)[] = [];
  private created = 0;
  private readonly all: PrintWindow[] = [];

  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    const window = await this.acquire();
    try {
      return await window.print(html, options);
    } finally {
      const next = this.waiting.shift();
      if (next) next(window);
      else this.idle.push(window);
    }
  }

  close(): Promise<void> {
    for (const window of this.all) window.close();
    rmSync(this.folder, { recursive: true, force: true });
    return Promise.resolve();
  }

  private acquire(): Promise<PrintWindow> {
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.created < this.parallel) {
      this.created += 1;
      const window = new PrintWindow(join(this.folder, `chunk-${this.created}.html`));
      this.all.push(window);
      return Promise.resolve(window);
    }
    return new Promise((resume) => this.waiting.push(resume));
  }
}

export class ElectronPdfEngine implements PdfEngine {
  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    const session = new ElectronSession();
    try {
      return await session.print(html, options);
    } finally {
      await session.close();
    }
  }

  openSession(): Promise<PdfSession> {
    return Promise.resolve(new ElectronSession());
  }
}
