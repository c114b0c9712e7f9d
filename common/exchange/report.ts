import { z } from 'zod';

/**
 * The import report of formats.md («The import report»): every import, dry or real, ends in one.
 * Entities are named `pupils`, `guardians`, `codes`, `classes`, `periods`, `lessons`, `marks`,
 * `attendance`, `finalMarks`, as they apply. Row numbers are the file's own.
 */
export const REPORT_ENTITIES = ['pupils', 'guardians', 'codes', 'classes', 'periods', 'lessons', 'marks', 'attendance', 'finalMarks'] as const;
export type ReportEntity = (typeof REPORT_ENTITIES)[number];

export const entityCountsSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type EntityCounts = z.infer<typeof entityCountsSchema>;

export const rejectedRowSchema = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export type RejectedRow = z.infer<typeof rejectedRowSchema>;

/** A field edited in the app since the last import, that the file would change: the user decides. */
export const importConflictSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  inApp: z.string().nullable(),
  inFile: z.string().nullable(),
});
export type ImportConflict = z.infer<typeof importConflictSchema>;

export const importWarningSchema = z.object({ column: z.string(), reason: z.string() });
export type ImportWarning = z.infer<typeof importWarningSchema>;

export const importReportSchema = z.object({
  profile: z.string(),
  file: z.string(),
  dryRun: z.boolean(),
  counts: z.partialRecord(z.enum(REPORT_ENTITIES), entityCountsSchema),
  rejected: z.array(rejectedRowSchema),
  conflicts: z.array(importConflictSchema),
  warnings: z.array(importWarningSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** The user's decision on a conflict: take the file's value, or keep the app's (the default). */
export const conflictResolutionSchema = z
  .object({ row: z.number().int().min(1), column: z.string().min(1).max(200), take: z.enum(['file', 'app']) })
  .strict();
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;

export function emptyCounts(): EntityCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}
