/**
 * Formula injection («CSV/formula injection»): a spreadsheet runs a text that begins with `=`,
 * `+`, `-` or `@` as a formula once the value is re-entered — when a user edits the cell, pastes
 * it elsewhere, or the book is saved as CSV and opened again. A tab or a carriage return in
 * front hides such a text from a casual look. Values typed by people (addresses, «кем выдан»,
 * places, reasons) end up in our exports, so every text cell is checked here.
 */

const DANGEROUS_START = /^[=+\-@\t\r]/;

/** Whether a text would start a formula (or hide one behind a tab or CR). */
export function needsNeutralising(text: string): boolean {
  return DANGEROUS_START.test(text);
}

/**
 * The text made inert: a leading apostrophe, the OWASP recommendation. The apostrophe is part of
 * the value on purpose (not only Excel's invisible «quote prefix» style, which the writer sets as
 * well): the style is lost when the book is saved as CSV or a cell is copied into another book,
 * and the visible apostrophe still keeps the text from being run there. The reader of such a
 * file sees what was neutralised.
 */
export function neutralise(text: string): string {
  return needsNeutralising(text) ? `'${text}` : text;
}
