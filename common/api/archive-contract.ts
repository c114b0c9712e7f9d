import { z } from 'zod';
import { dateSchema } from './contingent';
import { jobMethod, readMethod, type MethodDef } from './method';
import { idSchema } from './schemas';

/**
 * Printing for the archive (domain.md «Printing for the archive», issue 7): class journals and
 * summary ledgers printed as volumes, sealed into the archive register with their retention
 * terms, signed (Ed25519) and verified, and the act of destruction for volumes past their term.
 * The archivist works here; the administrator may too; the director reads.
 */

const ROLES = ['archivist', 'admin'] as const;

/** The kinds of archive volumes (the `archive_volume.kind` column). */
export const VOLUME_KINDS = ['class_journal', 'final_marks_ledger', 'attendance_ledger', 'movement_ledger'] as const;
export const volumeKindSchema = z.enum(VOLUME_KINDS, { message: 'вид документа: class_journal, final_marks_ledger, attendance_ledger или movement_ledger' });
export type VolumeKind = z.infer<typeof volumeKindSchema>;

/** Names of the kinds as the user sees them. */
export const VOLUME_KIND_LABELS: Record<VolumeKind, string> = {
  class_journal: 'Классный журнал',
  final_marks_ledger: 'Сводная ведомость итоговых отметок',
  attendance_ledger: 'Сводная ведомость посещаемости',
  movement_ledger: 'Сводная ведомость движения обучающихся',
};

/** Retention defaults from the schools' own regulations (years); the administrator may change them. */
export const DEFAULT_RETENTION_YEARS: Record<VolumeKind, number> = {
  class_journal: 5,
  final_marks_ledger: 25,
  attendance_ledger: 25,
  movement_ledger: 25,
};

const classIdSchema = idSchema.describe('класс');
const yearIdSchema = idSchema.describe('учебный год');

/** What is printed: a class journal (one class, its year), or a ledger of a year (whole school or one class). */
export const volumeDocumentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('class_journal'), classId: classIdSchema }).strict(),
  z.object({ kind: z.literal('final_marks_ledger'), yearId: yearIdSchema, classId: classIdSchema.optional() }).strict(),
  z.object({ kind: z.literal('attendance_ledger'), yearId: yearIdSchema, classId: classIdSchema.optional() }).strict(),
  z.object({ kind: z.literal('movement_ledger'), yearId: yearIdSchema, classId: classIdSchema.optional() }).strict(),
]);
export type VolumeDocument = z.infer<typeof volumeDocumentSchema>;

const jobIdSchema = z.string().min(1).max(64).optional();
const draftIdSchema = z.string().regex(/^[a-f0-9-]{8,64}$/, 'черновик: неверный номер');

/** A printed PDF before sealing: what the user previews. Its file lives in the data folder. */
export const draftSchema = z.object({
  draftId: z.string(),
  kind: volumeKindSchema,
  title: z.string(),
  fileName: z.string(),
  /** With a cover (to be sealed) or the document alone (`print journal|ledger`). */
  asVolume: z.boolean(),
  duplex: z.boolean(),
  pages: z.number().int(),
  sheets: z.number().int(),
  sha256: z.string(),
  /** The archive number printed on the cover (asVolume), kept if sealed. */
  archiveNo: z.string().nullable(),
  /** The version printed on the cover: 2 and up when it replaces a sealed volume. */
  version: z.number().int(),
  /** The sealed volume this one would replace, if any. */
  replaces: idSchema.nullable(),
});
export type Draft = z.infer<typeof draftSchema>;

export const volumeStatusSchema = z.enum(['sealed', 'replaced', 'destroyed']);
export type VolumeStatus = z.infer<typeof volumeStatusSchema>;

export const volumeRowSchema = z.object({
  volumeId: idSchema,
  archiveNo: z.string(),
  version: z.number().int(),
  kind: volumeKindSchema,
  title: z.string(),
  yearName: z.string(),
  classLabel: z.string().nullable(),
  /** Крайние даты of the volume. */
  dateFrom: z.string(),
  dateTo: z.string(),
  pages: z.number().int(),
  sheets: z.number().int(),
  duplex: z.boolean(),
  retentionYears: z.number().int(),
  /** The last day of the term: 31 December of (the year the volume ends + retention years), terms counting from 1 January of the next year (archive practice); destroyable after it. */
  destroyAfter: z.string(),
  sha256: z.string(),
  keyFingerprint: z.string(),
  sealedAt: z.string(),
  sealedBy: z.string(),
  status: volumeStatusSchema,
  replacedBy: idSchema.nullable(),
  fileName: z.string(),
});
export type VolumeRow = z.infer<typeof volumeRowSchema>;

export const verifyProblemSchema = z.object({
  volumeId: idSchema,
  archiveNo: z.string(),
  title: z.string(),
  /** Which stored copy: «основная копия» / «вторая копия» with its folder. */
  copy: z.string(),
  /** What is wrong, in Russian: missing file, hash mismatch, bad signature. */
  problem: z.string(),
});

/** The words verification names copies and a lost file with (the screens recognise missing second copies by them). */
export const MAIN_COPY_LABEL = 'основная копия';
export const MIRROR_COPY_LABEL = 'вторая копия';
export const PROBLEM_FILE_MISSING = 'файл не найден';

/** A kept volume whose second copy `archive.syncMirror` could not write or found damaged. */
export const mirrorSyncFailureSchema = z.object({ volumeId: idSchema, archiveNo: z.string(), title: z.string(), problem: z.string() });

export const archiveMethods = {
  /** Prints a document to a draft PDF (as a volume with a cover, or alone) for preview or `print …`. */
  'archive.preview': jobMethod(
    'Печать документа для архива',
    ROLES,
    z
      .object({
        document: volumeDocumentSchema,
        asVolume: z.boolean().default(true),
        duplex: z.boolean().optional(),
        jobId: jobIdSchema,
      })
      .strict(),
    draftSchema,
  ),
  /** The bytes of a draft or of a sealed volume (for the preview and «Сохранить копию»). */
  'archive.file': readMethod(
    'Просмотр PDF архивного дела',
    ROLES,
    z.union([z.object({ draftId: draftIdSchema }).strict(), z.object({ volumeId: idSchema }).strict()]),
    z.object({ fileName: z.string(), pages: z.number().int(), pdfBase64: z.string() }),
  ),
  'archive.discardDraft': jobMethod('Удаление черновика печати', ROLES, z.object({ draftId: draftIdSchema }).strict(), z.object({ discarded: z.boolean() })),
  /** Seals a previewed draft: the archive register entry, SHA-256, signature, the two copies. */
  'archive.seal': jobMethod('Сдача дела в архив', ROLES, z.object({ draftId: draftIdSchema }).strict(), volumeRowSchema),
  'archive.list': readMethod(
    'Опись архивных дел',
    ROLES,
    z
      .object({
        yearId: idSchema.optional(),
        kind: volumeKindSchema.optional(),
        /** Replaced and destroyed volumes too. */
        all: z.boolean().default(false),
      })
      .strict(),
    z.object({
      rows: z.array(volumeRowSchema),
      keyFingerprint: z.string().nullable(),
      archiveDir: z.string(),
      mirrorDir: z.string().nullable(),
    }),
  ),
  'archive.verify': jobMethod(
    'Проверка целостности архива',
    ROLES,
    z.object({ jobId: jobIdSchema }).strict(),
    z.object({
      checkedVolumes: z.number().int(),
      checkedCopies: z.number().int(),
      ok: z.boolean(),
      problems: z.array(verifyProblemSchema),
      keyFingerprint: z.string().nullable(),
    }),
  ),
  /** Prints the act for volumes whose term has passed by `asOf`. */
  'archive.destructionAct': jobMethod(
    'Акт о выделении к уничтожению архивных дел',
    ROLES,
    z.object({ asOf: dateSchema, jobId: jobIdSchema }).strict(),
    z.object({
      fileName: z.string(),
      pages: z.number().int(),
      volumes: z.array(idSchema),
      pdfBase64: z.string(),
    }),
  ),
  /** After the director approved the act: the volumes are marked destroyed and their files removed. */
  'archive.destroy': jobMethod(
    'Уничтожение архивных дел по акту',
    ROLES,
    z
      .object({
        volumeIds: z.array(idSchema).min(1, 'выберите хотя бы одно дело'),
        actNumber: z.string().trim().min(1, 'номер акта: укажите номер').max(30, 'номер акта: не длиннее 30 символов'),
        actDate: dateSchema,
      })
      .strict(),
    z.object({
      destroyed: z.number().int(),
      /** Files that could not be removed after the register was marked (Russian, one a line): to remove by hand. */
      notRemoved: z.array(z.string()),
    }),
  ),
  /** All journals and ledgers of a year sealed in the background; resumes an unfinished run. */
  'archive.sealYear': jobMethod(
    'Печать и сдача в архив всех документов года',
    ROLES,
    z
      .object({
        yearId: idSchema,
        kinds: z.array(volumeKindSchema).min(1, 'выберите хотя бы один вид документов').default([...VOLUME_KINDS]),
        duplex: z.boolean().optional(),
        jobId: jobIdSchema,
      })
      .strict(),
    z.object({
      batchId: idSchema,
      total: z.number().int(),
      sealed: z.array(volumeRowSchema),
      /** Finished by an earlier, interrupted run of the same batch: not redone. */
      alreadyDone: z.number().int(),
      failed: z.array(z.object({ title: z.string(), error: z.string() })),
    }),
  ),
  /** Writes missing second copies from main copies that verify; a present second copy is never overwritten. */
  'archive.syncMirror': jobMethod(
    'Запись недостающих вторых копий архива',
    ROLES,
    z.object({ jobId: jobIdSchema }).strict(),
    z.object({
      copied: z.number().int(),
      /** Second copies that were already there and intact. */
      alreadyPresent: z.number().int(),
      failed: z.array(mirrorSyncFailureSchema),
    }),
  ),
} satisfies Record<string, MethodDef>;
