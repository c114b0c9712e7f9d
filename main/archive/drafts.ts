import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { draftSchema, volumeDocumentSchema, volumeKindSchema, type Draft } from '../../common/api/archive-contract';
import { ApiError } from '../../common/api/errors';
import { writeDurably } from '../../db/durable-file';
import { draftsFolder, removeFile } from './folders';

/**
 * Drafts: printed PDFs waiting to be previewed and sealed, in `archive/drafts/<uuid>.pdf` with
 * their metadata in `<uuid>.json` (checked with zod when read: a hand-edited or half-written
 * file is refused, never trusted). Drafts older than a week are removed on the next print.
 */

export const DRAFT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Everything sealing needs besides what the user saw (the contract's Draft). */
export const storedDraftSchema = z
  .object({
    draft: draftSchema.strict(),
    document: volumeDocumentSchema,
    kind: volumeKindSchema,
    yearId: z.number().int(),
    classId: z.number().int().nullable(),
    yearName: z.string(),
    classLabel: z.string().nullable(),
    dateFrom: z.string(),
    dateTo: z.string(),
    retentionYears: z.number().int().min(1),
    destroyAfter: z.string(),
    countCoverAndCertification: z.boolean(),
    /** The key fingerprint printed on the certification sheet (null: none printed). */
    keyFingerprint: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.number().int().nullable(),
  })
  .strict();
export type StoredDraft = z.infer<typeof storedDraftSchema>;

export function newDraftId(): string {
  return randomUUID();
}

export function draftPdfPath(dbPath: string, draftId: string): string {
  return join(draftsFolder(dbPath), `${draftId}.pdf`);
}

function draftMetaPath(dbPath: string, draftId: string): string {
  return join(draftsFolder(dbPath), `${draftId}.json`);
}

export function ensureDraftsFolder(dbPath: string): void {
  mkdirSync(draftsFolder(dbPath), { recursive: true, mode: 0o700 });
}

export async function writeDraftMeta(dbPath: string, stored: StoredDraft): Promise<void> {
  const text = JSON.stringify(storedDraftSchema.parse(stored), null, 2);
  await writeDurably(draftMetaPath(dbPath, stored.draft.draftId), async (tmp) => writeFileSync(tmp, text, { mode: 0o600 }));
}

const GONE = 'Черновик не найден: он уже сдан в архив, удалён или устарел (черновики хранятся неделю). Сформируйте документ заново.';

/** The draft's metadata, checked; refused when the draft is gone or its files are broken. */
export function readDraft(dbPath: string, draftId: string): StoredDraft {
  const metaPath = draftMetaPath(dbPath, draftId);
  if (!existsSync(metaPath) || !existsSync(draftPdfPath(dbPath, draftId))) throw new ApiError('not_found', GONE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch {
    throw new ApiError('refused', 'Описание черновика повреждено: сформируйте документ заново.');
  }
  const checked = storedDraftSchema.safeParse(parsed);
  if (!checked.success || checked.data.draft.draftId !== draftId) throw new ApiError('refused', 'Описание черновика повреждено: сформируйте документ заново.');
  return checked.data;
}

/** Removes a draft's files; true when there was something to remove. */
export function removeDraft(dbPath: string, draftId: string): boolean {
  const pdf = removeFile(draftPdfPath(dbPath, draftId));
  const meta = removeFile(draftMetaPath(dbPath, draftId));
  return pdf || meta;
}

/**
 * Removes drafts (and leftovers of interrupted writes) older than a week; returns how many files
 * went. Ages are by the files' own clock (mtime against the real time), not the app's clock.
 */
export function cleanOldDrafts(dbPath: string, nowMs: number = Date.now()): number {
  const folder = draftsFolder(dbPath);
  if (!existsSync(folder)) return 0;
  let removed = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    try {
      if (nowMs - statSync(path).mtimeMs > DRAFT_LIFETIME_MS && removeFile(path)) removed += 1;
    } catch {
      // Removed meanwhile by another call: nothing to do.
    }
  }
  return removed;
}

export type { Draft };
