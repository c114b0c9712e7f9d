/**
 * Three-way comparison of one field on re-import: the value in the app now, the value in the
 * file now, and the value the last import wrote (the baseline; undefined when no import ever
 * wrote this field of this record).
 *
 * - the file says what the app says → `same`;
 * - the file has no value → `keep` (an empty cell never erases what the app holds);
 * - the app is empty → `update` (filling a gap overwrites nothing);
 * - the app still holds what the last import wrote → `update` (only the file changed);
 * - the file still says what the last import wrote → `keep` (only the app changed: a hand
 *   edit survives the next import);
 * - otherwise both changed, or the app had its own value before any import → `conflict`:
 *   the report shows both and the user decides; until then the app's value stays.
 */
export type FieldOutcome = 'same' | 'keep' | 'update' | 'conflict';

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

export function compareField(inApp: string | null, inFile: string | null, baseline: string | null | undefined): FieldOutcome {
  if (blank(inFile)) return 'keep';
  if (!blank(inApp) && inApp === inFile) return 'same';
  if (blank(inApp)) return 'update';
  if (baseline === undefined) return 'conflict';
  if (inApp === baseline) return 'update';
  if (inFile === baseline) return 'keep';
  return 'conflict';
}

export interface FieldConflict {
  field: string;
  inApp: string | null;
  inFile: string | null;
}

export interface RecordComparison {
  /** Fields the import writes (their new values). */
  updates: Record<string, string | null>;
  conflicts: FieldConflict[];
  /** Nothing to write and nothing to decide. */
  unchanged: boolean;
}

/** Compares every field of a record that the file provides. */
export function compareRecord(
  inApp: Readonly<Record<string, string | null>>,
  inFile: Readonly<Record<string, string | null>>,
  baseline: Readonly<Record<string, string | null>>,
): RecordComparison {
  const updates: Record<string, string | null> = {};
  const conflicts: FieldConflict[] = [];
  for (const field of Object.keys(inFile)) {
    const outcome = compareField(inApp[field] ?? null, inFile[field] ?? null, Object.prototype.hasOwnProperty.call(baseline, field) ? baseline[field] : undefined);
    if (outcome === 'update') updates[field] = inFile[field] ?? null;
    else if (outcome === 'conflict') conflicts.push({ field, inApp: inApp[field] ?? null, inFile: inFile[field] ?? null });
  }
  return { updates, conflicts, unchanged: Object.keys(updates).length === 0 && conflicts.length === 0 };
}
