import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ApiError } from '../../common/api/errors';
import { FOOTER_TEMPLATE, PAGE_MARGINS, type PdfEngine, type PdfPrintOptions, type PdfSession } from './engine';

/** Where a system Chromium, Chrome or Edge usually lives, in the order they are tried. */
export function browserCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const list: string[] = [];
  if (env.CHROMIUM_PATH) list.push(env.CHROMIUM_PATH);
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    for (const root of roots) {
      list.push(join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
      list.push(join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
      list.push(join(root, 'Chromium', 'Application', 'chrome.exe'));
    }
    list.push('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    list.push('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
  } else if (platform === 'darwin') {
    list.push('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    list.push('/Applications/Chromium.app/Contents/MacOS/Chromium');
    list.push('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  } else {
    list.push(
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
      '/usr/bin/microsoft-edge',
    );
  }
  return list;
}

/** The first browser that exists, or a Russian refusal that says how to point to one. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH && !existsSync(env.CHROMIUM_PATH)) {
    throw new ApiError('refused', `Браузер для печати не найден по пути из переменной CHROMIUM_PATH (${env.CHROMIUM_PATH}). Исправьте путь к Chromium, Google Chrome или Microsoft Edge.`);
  }
  const found = browserCandidates(env).find((path) => existsSync(path));
  if (!found) {
    throw new ApiError(
      'refused',
      'Для печати в PDF нужен браузер Chromium, Google Chrome или Microsoft Edge, но он не найден. Установите его или укажите путь к нему в переменной окружения CHROMIUM_PATH.',
    );
  }
  return found;
}

/** Flags that keep a headless browser quiet and offline. (puppeteer adds the headless switch itself.) */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

interface LaunchedBrowser {
  browser: Browser;
  profile: string;
}

/** A headless browser with a fresh profile folder (removed again by closeBrowser). */
async function launchBrowser(executablePath: string): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'school-office-print-'));
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: LAUNCH_ARGS,
      userDataDir: profile,
      // Long documents: a single page.pdf of hundreds of pages may take minutes.
      protocolTimeout: 30 * 60_000,
      timeout: 120_000,
    });
    return { browser, profile };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    throw error;
  }
}

async function closeBrowser(launched: LaunchedBrowser): Promise<void> {
  await launched.browser.close().catch(() => undefined);
  rmSync(launched.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

async function newPrintPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  await page.setJavaScriptEnabled(true);
  return page;
}

/** Waits for the inlined fonts, prints A4 untagged (unless asked) the page as it is. */
async function pdfOfPage(page: Page, options: PdfPrintOptions): Promise<Buffer> {
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  const landscape = options.landscape ?? false;
  const footer = options.footer ?? true;
  const data = await page.pdf({
    format: 'A4',
    landscape,
    printBackground: true,
    tagged: options.tagged ?? false,
    outline: false,
    displayHeaderFooter: footer,
    ...(footer ? { headerTemplate: '<span></span>', footerTemplate: FOOTER_TEMPLATE } : {}),
    margin: landscape ? PAGE_MARGINS.landscape : PAGE_MARGINS.portrait,
    preferCSSPageSize: false,
    timeout: 0,
  });
  return Buffer.from(data);
}

/** A tab of a session and the <head> of the document it holds. */
interface Tab {
  page: Page;
  printed: number;
  head: string | null;
}

/**
 * Puts the HTML into the tab. When the tab already holds a document with the same <head> (the
 * chunks of one volume: same fonts, same CSS), only the body is replaced: the half megabyte of
 * inlined fonts is neither sent nor parsed again and the decoded faces stay in the document.
 */
async function loadIntoTab(tab: Tab, html: string): Promise<void> {
  const bodyAt = html.indexOf('<body>');
  const bodyEnd = html.lastIndexOf('</body>');
  if (bodyAt > 0 && bodyEnd > bodyAt && tab.head !== null && tab.head.length === bodyAt && html.startsWith(tab.head)) {
    const body = html.slice(bodyAt + '<body>'.length, bodyEnd);
    await tab.page.evaluate((content) => {
      document.body.innerHTML = content;
      // Lay the new body out now, so that the faces it needs start loading before fonts.ready is awaited.
      void document.body.offsetHeight;
    }, body);
    return;
  }
  tab.head = null;
  await tab.page.setContent(html, { waitUntil: 'load', timeout: 0 });
  tab.head = bodyAt > 0 && bodyEnd > bodyAt ? html.slice(0, bodyAt) : null;
}

/** How a session spreads its prints: browsers × pages in each (both cores of the machine). */
export interface ChromiumSessionOptions {
  browsers: number;
  pagesPerBrowser: number;
  /** A browser is restarted after this many prints, so that a long batch does not grow its memory. */
  restartAfter: number;
  /**
   * A tab is closed and a fresh one opened after this many prints: a reused tab's renderer keeps
   * growing (measured ~1 MiB per journal chunk), a new tab starts a new renderer process.
   */
  tabPrints: number;
}

/**
 * Two tabs of one browser: measured on 2 cores (bench `print-journal`, a 76-page journal, best of
 * two) 3.4 s against 4.9 s for two browsers of one tab and 5.5 s for one tab; the renderers of two
 * tabs already run in parallel, and one browser process costs less memory. A fresh tab every 20
 * prints keeps a batch's memory flat (bench `print-school`: 14 volumes, the whole tree 0.5–1.0 GiB
 * throughout, where reused tabs grew by ~25 MiB a volume each).
 */
export const DEFAULT_SESSION: ChromiumSessionOptions = { browsers: 1, pagesPerBrowser: 2, restartAfter: 150, tabPrints: 20 };

interface BrowserSlot {
  launched: Promise<LaunchedBrowser> | null;
  pages: Tab[];
  /** Prints started since this browser was launched. */
  printed: number;
  inFlight: number;
  /** Resolved when inFlight drops to 0 (a restart waits for it). */
  drained: (() => void)[];
}

/** A pool of browser pages shared by all the chunks of a volume or a batch of volumes. */
export class ChromiumSession implements PdfSession {
  readonly parallel: number;
  private readonly slots: BrowserSlot[];
  private readonly waiting: (() => void)[] = [];
  private busy = 0;
  private closed = false;
  /** Browsers started so far (restarts included): for the tests and the bench. */
  launches = 0;

  constructor(
    private readonly executablePath: string,
    private readonly options: ChromiumSessionOptions = DEFAULT_SESSION,
  ) {
    this.parallel = options.browsers * options.pagesPerBrowser;
    this.slots = Array.from({ length: options.browsers }, () => ({ launched: null, pages: [], printed: 0, inFlight: 0, drained: [] }));
  }

  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    if (this.closed) throw new Error('Сеанс печати уже закрыт');
    await this.acquire();
    // The least loaded browser takes the print.
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    try {
      await this.restartIfWorn(slot);
    } catch (error) {
      this.release();
      throw error;
    }
    slot.inFlight += 1;
    try {
      slot.printed += 1;
      const launched = await this.launch(slot);
      const tab = slot.pages.pop() ?? { page: await newPrintPage(launched.browser), printed: 0, head: null };
      try {
        await loadIntoTab(tab, html);
        const pdf = await pdfOfPage(tab.page, options);
        tab.printed += 1;
        if (tab.printed < this.options.tabPrints) slot.pages.push(tab);
        else await tab.page.close().catch(() => undefined);
        return pdf;
      } catch (error) {
        await tab.page.close().catch(() => undefined);
        // A crashed browser is started again by the next print.
        if (!launched.browser.connected) await this.dropBrowser(slot);
        throw error;
      }
    } finally {
      slot.inFlight -= 1;
      if (slot.inFlight === 0) for (const done of slot.drained.splice(0)) done();
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => this.dropBrowser(slot)));
  }

  private launch(slot: BrowserSlot): Promise<LaunchedBrowser> {
    if (slot.launched) return slot.launched;
    const launching = launchBrowser(this.executablePath);
    this.launches += 1;
    slot.launched = launching;
    // A failed launch is not remembered: the next print tries again.
    launching.catch(() => {
      if (slot.launched === launching) slot.launched = null;
    });
    return launching;
  }

  private async dropBrowser(slot: BrowserSlot): Promise<void> {
    const launching = slot.launched;
    slot.launched = null;
    slot.pages = [];
    slot.printed = 0;
    const launched = launching ? await launching.catch(() => null) : null;
    if (launched) await closeBrowser(launched);
  }

  /** After `restartAfter` prints the browser is closed (once its other prints end) and started again. */
  private async restartIfWorn(slot: BrowserSlot): Promise<void> {
    if (slot.printed < this.options.restartAfter || !slot.launched) return;
    if (slot.inFlight > 0) await new Promise<void>((done) => slot.drained.push(done));
    if (slot.printed >= this.options.restartAfter) await this.dropBrowser(slot);
  }

  private async acquire(): Promise<void> {
    if (this.busy < this.parallel) {
      this.busy += 1;
      return;
    }
    await new Promise<void>((resume) => this.waiting.push(resume));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy -= 1;
  }
}

/** Prints with puppeteer-core and a system browser: one browser per print, always closed. */
export class ChromiumEngine implements PdfEngine {
  constructor(
    private readonly executablePath: string = findBrowser(),
    private readonly sessionOptions: ChromiumSessionOptions = DEFAULT_SESSION,
  ) {}

  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    const launched = await launchBrowser(this.executablePath);
    try {
      const page = await newPrintPage(launched.browser);
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
      return await pdfOfPage(page, options);
    } finally {
      await closeBrowser(launched);
    }
  }

  /** One browser (or more) for many prints: the volume printer's chunks. */
  openSession(): Promise<PdfSession> {
    return Promise.resolve(new ChromiumSession(this.executablePath, this.sessionOptions));
  }
}

let defaultEngine: PdfEngine | null = null;

/** The engine of this process: set by the Electron shell, else a system Chromium found on first use. */
export function pdfEngine(): PdfEngine {
  defaultEngine ??= new ChromiumEngine();
  return defaultEngine;
}

/** Lets the shell (or a test) put another engine behind the same interface. */
export function setPdfEngine(engine: PdfEngine | null): void {
  defaultEngine = engine;
}
