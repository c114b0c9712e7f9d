/**
 * DOM-free reading of the printed HTML for the journal and ledger tests: the tables of a body as
 * rows of cell texts, with the text just before each table (its part title).
 */

export interface Cell {
  text: string;
  className: string;
  colSpan: number;
}

export interface HtmlTable {
  /** The text between the previous table (or the start) and this one: the part title. */
  before: string;
  head: Cell[][];
  body: Cell[][];
  /** The text right after the table up to the next one (legend, notes). */
  after: string;
}

export function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

/** The visible text of an HTML fragment, tags as spaces, whitespace collapsed. */
export function plainText(html: string): string {
  return decode(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function rows(html: string): Cell[][] {
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...(tr[1] ?? '').matchAll(/<t([dh])((?:\s[^>]*)?)>([\s\S]*?)<\/t\1>|<t([dh])((?:\s[^>]*)?)\/>/g)].map((m) => {
      const attrs = m[2] ?? m[5] ?? '';
      return {
        text: plainText(m[3] ?? ''),
        className: /class="([^"]*)"/.exec(attrs)?.[1] ?? '',
        colSpan: Number(/colSpan="(\d+)"|colspan="(\d+)"/i.exec(attrs)?.slice(1).find(Boolean) ?? 1),
      };
    }),
  );
}

export function htmlTables(html: string): HtmlTable[] {
  const out: HtmlTable[] = [];
  const re = /<table[^>]*>([\s\S]*?)<\/table>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) {
    const inner = m[1] ?? '';
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(inner)?.[1] ?? '';
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(inner)?.[1] ?? '';
    const prev = out.at(-1);
    const between = plainText(html.slice(last, m.index));
    if (prev) prev.after = between;
    out.push({ before: between, head: rows(head), body: rows(body), after: '' });
    last = m.index + m[0].length;
  }
  const prev = out.at(-1);
  if (prev) prev.after = plainText(html.slice(last));
  return out;
}

/** «01.09.2025» from '2025-09-01'. */
export function ru(iso: string): string {
  return iso.split('-').reverse().join('.');
}
