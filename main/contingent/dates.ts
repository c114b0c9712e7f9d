/** Calendar arithmetic on ISO dates ('YYYY-MM-DD'), in UTC so that no time zone shifts a day. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** «01.09.2025». */
export function ruDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}.${m}.${y}`;
}

/** The school year an order date belongs to for numbering: September to August. */
export function yearLabelOf(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 9 ? `${year}/${year + 1}` : `${year - 1}/${year}`;
}
