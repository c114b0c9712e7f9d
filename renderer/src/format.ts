/** Formatting for what the user reads: Russian dates, numbers and plural forms. */
import { plural } from '../../common/domain/russian';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function toDate(value: string | Date): Date | null {
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** dd.mm.yyyy hh:mm:ss in local time. */
export function formatDateTime(value: string | Date | null | undefined, withSeconds = true): string {
  if (!value) return '';
  const d = toDate(value);
  if (!d) return String(value);
  const date = `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${withSeconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${date} ${time}`;
}

/** An ISO calendar date (yyyy-mm-dd) as dd.mm.yyyy, without time-zone shifts. */
export function formatIsoDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
}

const numberFormat = new Intl.NumberFormat('ru-RU');
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

// The Russian plural is shared with the main process (messages, printed documents).
export { plural };

export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${formatNumber(n)} ${plural(n, forms)}`;
}
