import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { ApiError } from '../../common/api/errors';
import { FOOTER_TEMPLATE, PAGE_MARGINS, type PdfEngine, type PdfPrintOptions } from './engine';

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

/** Prints with puppeteer-core and a system browser: one browser per print, always closed. */
export class ChromiumEngine implements PdfEngine {
  constructor(private readonly executablePath: string = findBrowser()) {}

  async print(html: string, options: PdfPrintOptions): Promise<Buffer> {
    const profile = mkdtempSync(join(tmpdir(), 'school-office-print-'));
    let browser: Browser | null = null;
    try {
      browser = await puppeteer.launch({
        executablePath: this.executablePath,
        headless: true,
        args: LAUNCH_ARGS,
        userDataDir: profile,
        protocolTimeout: 30 * 60_000,
        timeout: 120_000,
      });
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      await page.setJavaScriptEnabled(true);
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const landscape = options.landscape ?? false;
      const data = await page.pdf({
        format: 'A4',
        landscape,
        printBackground: true,
        tagged: false,
        outline: false,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: FOOTER_TEMPLATE,
        margin: landscape ? PAGE_MARGINS.landscape : PAGE_MARGINS.portrait,
        preferCSSPageSize: false,
        timeout: 0,
      });
      return Buffer.from(data);
    } finally {
      if (browser) await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
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
