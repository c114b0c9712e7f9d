/**
 * How the dense grids are cut into pages: pure helpers shared by the journal's and the ledgers'
 * templates (and tested on their own).
 */

/** The most lesson columns a landscape A4 page holds legibly in PT Sans Narrow 7.5pt. */
export const MAX_DATE_COLUMNS = 40;

/** The most subject columns of a final-marks table on one landscape page. */
export const MAX_SUBJECT_COLUMNS = 24;

/**
 * Cuts `count` items into the fewest runs of at most `max`, as even as possible (44 → 22 + 22,
 * not 40 + 4): a last page with a handful of columns wastes paper and reads badly.
 * Returns [start, end) pairs; none for zero items.
 */
export function splitEvenly(count: number, max: number): [number, number][] {
  if (count <= 0) return [];
  const limit = Math.max(1, Math.floor(max));
  const parts = Math.ceil(count / limit);
  const base = Math.floor(count / parts);
  let extra = count % parts;
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < parts; i += 1) {
    const size = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra -= 1;
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

const MONTHS_NOMINATIVE = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const MONTHS_SHORT = ['янв.', 'февр.', 'март', 'апр.', 'май', 'июнь', 'июль', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];

/** «сентябрь» from '2025-09-14'. */
export function monthName(iso: string): string {
  return MONTHS_NOMINATIVE[Number(iso.slice(5, 7)) - 1] ?? iso.slice(0, 7);
}

/** «сент.» from '2025-09-14' or '2025-09'. */
export function monthShort(iso: string): string {
  return MONTHS_SHORT[Number(iso.slice(5, 7)) - 1] ?? iso.slice(0, 7);
}

/** Runs of consecutive dates of the same month: the header's month cells with their spans. */
export function monthSpans(dates: readonly string[]): { label: string; span: number }[] {
  const out: { key: string; label: string; span: number }[] = [];
  for (const date of dates) {
    const key = date.slice(0, 7);
    const last = out.at(-1);
    if (last && last.key === key) last.span += 1;
    else out.push({ key, label: monthName(date), span: 1 });
  }
  // A month over one or two narrow columns has no room for its full name.
  return out.map(({ label, span, key }) => ({ label: span <= 2 ? monthShort(key) : label, span }));
}

/** The day of the month without a leading zero: «1», «14». */
export function dayOfMonth(iso: string): string {
  return String(Number(iso.slice(8, 10)));
}
