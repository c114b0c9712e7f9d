import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The fonts shipped with the app (@fontsource PT Serif, PT Sans and PT Sans Narrow, SIL OFL), inlined as base64
 * `@font-face` rules so that the PDF embeds them whatever is installed on the machine. Cyrillic
 * and Latin subsets, regular and bold; the CSS is built once per process.
 */

interface Face {
  family: string;
  pkg: '@fontsource/pt-serif' | '@fontsource/pt-sans' | '@fontsource/pt-sans-narrow';
  file: string;
  subset: 'cyrillic' | 'latin';
  weight: 400 | 700;
}

/** The subsets' ranges, as in @fontsource's own CSS. */
const RANGES = {
  cyrillic: 'U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116',
  latin:
    'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
} as const;

const FACES: Face[] = [];
for (const [family, pkg, file] of [
  ['PT Serif', '@fontsource/pt-serif', 'pt-serif'],
  ['PT Sans', '@fontsource/pt-sans', 'pt-sans'],
  // The narrow face of the dense grids (the journal's marks, the ledgers).
  ['PT Sans Narrow', '@fontsource/pt-sans-narrow', 'pt-sans-narrow'],
] as const) {
  for (const subset of ['cyrillic', 'latin'] as const) {
    for (const weight of [400, 700] as const) FACES.push({ family, pkg, file, subset, weight });
  }
}

/** Font stacks of the templates: serif for text, sans for dense tables. */
export const SERIF_STACK = "'PT Serif', 'Times New Roman', serif";
export const SANS_STACK = "'PT Sans', 'Arial Narrow', Arial, sans-serif";
export const NARROW_STACK = "'PT Sans Narrow', 'Arial Narrow', Arial, sans-serif";

/**
 * The folder of a font package: resolved from this module's folder (the built app, bundled to
 * CJS, has `__dirname`; vitest provides it too), else from the working folder.
 */
function packageFilesDir(pkg: string): string {
  const bases = [typeof __dirname === 'string' ? __dirname : null, process.cwd()].filter((b): b is string => b !== null);
  let lastError: unknown = null;
  for (const base of bases) {
    try {
      // The packages have no main entry; their package.json is always there.
      return join(dirname(createRequire(join(base, 'noop.js')).resolve(`${pkg}/package.json`)), 'files');
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Не найдены файлы шрифтов пакета ${pkg}: переустановите программу.`, { cause: lastError });
}

let cached: string | null = null;

/** The folder of one of the shipped font packages (the volume printer embeds its page numbers with them). */
export function fontFilesDir(pkg: Face['pkg']): string {
  return packageFilesDir(pkg);
}

/** `@font-face` rules with the woff2 files inlined; read from node_modules once. */
export function fontFaceCss(): string {
  if (cached !== null) return cached;
  const dirs = new Map<string, string>();
  const rules = FACES.map((face) => {
    let dir = dirs.get(face.pkg);
    if (!dir) {
      dir = packageFilesDir(face.pkg);
      dirs.set(face.pkg, dir);
    }
    const data = readFileSync(join(dir, `${face.file}-${face.subset}-${face.weight}-normal.woff2`)).toString('base64');
    return (
      `@font-face{font-family:'${face.family}';font-style:normal;font-weight:${face.weight};font-display:block;` +
      `src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${RANGES[face.subset]};}`
    );
  });
  cached = rules.join('\n');
  return cached;
}
