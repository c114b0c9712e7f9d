/**
 * Header names are compared after normalising (formats.md, «Rules for every import»): case,
 * ё → е, runs of spaces, non-breaking spaces and trailing colons do not matter. Shared by the
 * importer (main) and the mapping screen (renderer), so both agree on what «the same header» is.
 */

/** The placeholder a repeat group's headers carry for its number: «Представитель {n}: Фамилия». */
export const GROUP_PLACEHOLDER = '{n}';

export function normalizeHeader(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200b\ufeff]/g, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u00a0\s]+/g, ' ')
    .trim()
    .replace(/[:\s]+$/, '')
    .trim();
}

/** A repeat group's header for one number: «Представитель {n}: Фамилия», 2 → «Представитель 2: Фамилия». */
export function groupHeader(template: string, n: number): string {
  return template.split(GROUP_PLACEHOLDER).join(String(n));
}
