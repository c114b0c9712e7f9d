/**
 * Russian alphabetical order and the search key for names. Ё is its own letter after Е in
 * sorting and on the alphabet-book pages, but a search ignores the difference (people type Е).
 * Hand-written rather than Intl.Collator('ru'): ICU builds differ in how they place Ё, and the
 * printed alphabet book must not depend on the machine.
 */
const ALPHABET = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
const ORDER = new Map<string, number>([...ALPHABET].map((ch, i) => [ch, i]));

export function compareRu(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const ca = a[i]?.toUpperCase() ?? '';
    const cb = b[i]?.toUpperCase() ?? '';
    if (ca === cb) continue;
    const oa = ORDER.get(ca);
    const ob = ORDER.get(cb);
    if (oa !== undefined && ob !== undefined) return oa - ob;
    if (oa !== undefined) return 1;
    if (ob !== undefined) return -1;
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length;
}

/** Compares people by surname, then name, then patronymic. */
export function comparePeople(
  a: { lastName: string; firstName: string; middleName?: string | null },
  b: { lastName: string; firstName: string; middleName?: string | null },
): number {
  return compareRu(a.lastName, b.lastName) || compareRu(a.firstName, b.firstName) || compareRu(a.middleName ?? '', b.middleName ?? '');
}

/** The page of the alphabet book: the first letter of the surname, Ё kept apart from Е. */
export function alphabetLetter(surname: string): string {
  return (surname.trim()[0] ?? '?').toUpperCase();
}

/** The search key of a name: lower case, ё → е, single spaces, no hyphen variants. */
export function searchKey(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u00a0\s]+/g, ' ')
    .trim();
}

/** «К/15»: the personal file number is the alphabet-book letter and entry number. */
export function fileNumber(letter: string | null, number: number | null): string | null {
  return letter && number ? `${letter}/${number}` : null;
}

/** Parses «К/15» (or «к / 15») back into letter and number. */
export function parseFileNumber(text: string): { letter: string; number: number } | null {
  const m = /^\s*([А-ЯЁа-яё])\s*\/\s*(\d{1,6})\s*$/.exec(text);
  return m ? { letter: m[1]!.toUpperCase(), number: Number(m[2]) } : null;
}

/** «5А» from parallel and letter. */
export function classLabel(parallel: number, letter: string): string {
  return `${parallel}${letter}`;
}

/** Parses «5А», «5 А», «5-а», «5 «А»» into parallel and letter. */
export function parseClassLabel(text: string): { parallel: number; letter: string } | null {
  const m = /^\s*(1[01]|[1-9])\s*[-\s«"]*\s*([А-ЯЁа-яё])\s*[»"]?\s*$/.exec(text);
  return m ? { parallel: Number(m[1]), letter: m[2]!.toUpperCase() } : null;
}

/** Russian plural: plural(5, ['запись', 'записи', 'записей']) → 'записей'. */
export function plural(n: number, forms: readonly [string, string, string]): string {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}
