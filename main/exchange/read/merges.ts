import type { MergeRange, SheetRow } from './types';

/** "B5:K5" → 1-based range; null when the text is not an A1 range. */
export function parseA1Range(text: string): MergeRange | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i.exec(text.trim());
  if (!m) return null;
  const col = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const top = Number(m[2]);
  const left = col(m[1]!);
  const bottom = m[4] ? Number(m[4]) : top;
  const right = m[3] ? col(m[3]) : left;
  return { top: Math.min(top, bottom), left: Math.min(left, right), bottom: Math.max(top, bottom), right: Math.max(left, right) };
}

/**
 * Rows where every cell covered by a merge repeats the merge's top-left value — handy for layouts
 * like the journal report, whose month header spans the days below it. The input is not changed.
 */
export function fillMerged(rows: SheetRow[], merges: MergeRange[]): SheetRow[] {
  const byNumber = new Map(rows.map((r) => [r.row, { row: r.row, cells: [...r.cells] }]));
  for (const m of merges) {
    const value = byNumber.get(m.top)?.cells[m.left - 1] ?? null;
    if (value === null) continue;
    for (let r = m.top; r <= m.bottom; r += 1) {
      let row = byNumber.get(r);
      if (!row) {
        row = { row: r, cells: [] };
        byNumber.set(r, row);
      }
      for (let c = m.left; c <= m.right; c += 1) {
        while (row.cells.length < c) row.cells.push(null);
        row.cells[c - 1] = value;
      }
    }
  }
  return [...byNumber.values()].sort((a, b) => a.row - b.row);
}
