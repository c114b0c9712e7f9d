/**
 * СНИЛС (страховой номер индивидуального лицевого счёта): 9 digits of the number and 2 check
 * digits. Pure helpers shared by the main process and the renderer (no Node imports).
 *
 * Check digits: digits 1–9 weighted 9..1 and summed; a sum below 100 is the check number itself,
 * 100 and 101 give 00, a larger sum is taken mod 101 (and a remainder of 100 gives 00 again).
 * Numbers up to 001-001-998 were issued before the check existed and are exempt from it.
 */

/** The largest number (first nine digits) that is exempt from the checksum. */
export const SNILS_EXEMPT_MAX = 1_001_998;

/** The two check digits for the first nine digits of a СНИЛС. */
export function snilsChecksum(first9: string): string {
  if (!/^\d{9}$/.test(first9)) throw new Error('СНИЛС: нужны ровно девять цифр номера');
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(first9.charCodeAt(i) - 48) * (9 - i);
  let check: number;
  if (sum < 100) check = sum;
  else if (sum === 100 || sum === 101) check = 0;
  else {
    check = sum % 101;
    if (check === 100) check = 0;
  }
  return String(check).padStart(2, '0');
}

/** The 11 digits of a СНИЛС typed with or without dashes and spaces, or null if it is not one. */
export function normalizeSnils(text: string): string | null {
  const trimmed = text.trim();
  if (!/^[\d\s-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[\s-]/g, '');
  return /^\d{11}$/.test(digits) ? digits : null;
}

/** Whether the text is a valid СНИЛС: 11 digits (dashes and spaces allowed) with a correct checksum. */
export function isValidSnils(text: string): boolean {
  const digits = normalizeSnils(text);
  if (digits === null) return false;
  const first9 = digits.slice(0, 9);
  if (Number(first9) <= SNILS_EXEMPT_MAX) return true;
  return snilsChecksum(first9) === digits.slice(9);
}

/** '12345678901' → '123-456-789 01'; text that is not 11 digits is returned unchanged. */
export function formatSnils(text: string): string {
  const digits = normalizeSnils(text);
  if (digits === null) return text;
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}
