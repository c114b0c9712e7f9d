import { describe, expect, it } from 'vitest';
import { chunkShell } from '../../main/print/volume/chunk-html';

const META = { title: 'Классный журнал 5А класса', author: 'Школа № 1', subject: 'Журнал', keywords: ['журнал'] };

describe('volume chunk shell', () => {
  it('wraps a body with the fonts, the document CSS and the chunk orientation as the last @page rule', () => {
    const shell = chunkShell(META, '@page { size: A4 portrait; } .grid-x { color: red; }');
    const landscape = shell('<p>Русский язык</p>', true);
    const portrait = shell('<p>Русский язык</p>', false);
    for (const [html, orientation] of [
      [landscape, 'landscape'],
      [portrait, 'portrait'],
    ] as const) {
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<title>Классный журнал 5А класса</title>');
      expect(html).toContain("font-family:'PT Sans Narrow'");
      expect(html).toContain('.grid-x { color: red; }');
      // Chromium follows the last @page size: the document's own rule must not win.
      const sizes = [...html.matchAll(/@page\s*\{\s*size:\s*A4 (\w+);\s*\}/g)].map((m) => m[1]);
      expect(sizes.at(-1)).toBe(orientation);
      expect(html.split('<p>Русский язык</p>')).toHaveLength(2);
      expect(html.indexOf('<p>Русский язык</p>')).toBeGreaterThan(html.indexOf('<body>'));
    }
  });
});
