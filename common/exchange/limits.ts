/**
 * Limits for anything unpacked from a user's file (formats.md: a school of 3,000 pupils with a
 * year of journal data fits well inside them; a hostile archive does not).
 */

/** Largest file accepted as it arrives (a ZIP, an XLSX, a CSV). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;
/** Largest amount of data all entries of one archive (or the JSON files of a package folder) may hold. */
export const MAX_TOTAL_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Most entries one archive (or package folder) may hold. */
export const MAX_ENTRIES = 2000;
/** Highest unpacked/packed size ratio of one entry. */
export const MAX_COMPRESSION_RATIO = 200;
/**
 * Entries that unpack to less than this are not held to the ratio: a few kilobytes of repeated
 * XML can legitimately compress better than 200:1, and cannot hurt anyone at that size.
 */
export const RATIO_EXEMPT_BYTES = 1024 * 1024;

/** «12,5 МБ» — sizes in messages the user reads. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const text = mb >= 10 ? String(Math.round(mb)) : mb.toFixed(1).replace(/\.0$/, '');
  return `${text.replace('.', ',')} МБ`;
}

/** True when an entry of this packed size may not unpack to this many bytes. */
export function ratioExceeded(compressedBytes: number, uncompressedBytes: number): boolean {
  if (uncompressedBytes <= RATIO_EXEMPT_BYTES) return false;
  return uncompressedBytes > Math.max(compressedBytes, 1) * MAX_COMPRESSION_RATIO;
}
