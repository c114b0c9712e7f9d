import { createElement } from 'react';
import type { DocumentMeta } from '../../../templates/types';
import { Layout, renderHtml } from '../../../templates/layout';
import { fontFaceCss } from '../fonts';

const BODY_MARK = '\u2063VOLUME-BODY\u2063';

/**
 * The page shell of every chunk of a volume: the layout (fonts inlined, base print CSS, the
 * document's CSS), rendered once per volume and split around the body so that a chunk costs a
 * string concatenation, not a React render of a big tree. The head is the same for every chunk
 * of a volume (a session tab then swaps only the body: main/print/chromium.ts); the page's
 * orientation is a <style> at the start of the body, after all the head's CSS: Chromium follows
 * a CSS `@page { size }` over its own `landscape` option, and the layout's base CSS says portrait.
 */
export function chunkShell(meta: DocumentMeta, css: string): (body: string, landscape: boolean) => string {
  const html = renderHtml(createElement(Layout, { meta, fontCss: fontFaceCss(), css, children: BODY_MARK }));
  const at = html.indexOf(BODY_MARK);
  if (at < 0) throw new Error('Шаблон тома: не найдено место для содержимого');
  const head = html.slice(0, at);
  const tail = html.slice(at + BODY_MARK.length);
  const orientation = (landscape: boolean) => `<style>@page { size: A4 ${landscape ? 'landscape' : 'portrait'}; }</style>`;
  return (body, landscape) => head + orientation(landscape) + body + tail;
}
