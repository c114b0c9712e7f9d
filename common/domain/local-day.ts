/**
 * The calendar day of a moment on this computer's clock, as 'YYYY-MM-DD'.
 *
 * "Today" is the school's day, not UTC's: in Krasnoyarsk (UTC+7) the UTC date is still
 * yesterday until 07:00, and a form defaulting to today's local date must not be refused as
 * "in the future". The office computer runs in the school's time zone.
 */
export function localDay(moment: Date): string {
  const y = moment.getFullYear();
  const m = String(moment.getMonth() + 1).padStart(2, '0');
  const d = String(moment.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
