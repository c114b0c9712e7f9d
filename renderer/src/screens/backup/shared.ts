import { countOf, formatNumber } from '../../format';

/** «5 дней назад» for an age in whole days. */
export function ageText(days: number | null): string {
  if (days === null) return '';
  if (days <= 0) return 'сегодня';
  if (days === 1) return 'вчера';
  return `${countOf(days, ['день', 'дня', 'дней'])} назад`;
}

/** «1,5 ГБ» for a byte count (free space, file sizes). */
export function bytesText(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['байт', 'КБ', 'МБ', 'ГБ', 'ТБ'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? formatNumber(value) : formatNumber(Math.round(value * 10) / 10)} ${units[unit]}`;
}

/** The interval choices the regulations and the recommendation name; another stored value is shown as is. */
export const INTERVAL_CHOICES: readonly { days: number; label: string }[] = [
  { days: 30, label: 'ежемесячно — как требует регламент' },
  { days: 14, label: 'раз в две недели' },
  { days: 7, label: 'еженедельно — рекомендуется' },
];

export function intervalText(days: number): string {
  return INTERVAL_CHOICES.find((c) => c.days === days)?.label.replace(/ — .*$/, '') ?? `раз в ${countOf(days, ['день', 'дня', 'дней'])}`;
}
