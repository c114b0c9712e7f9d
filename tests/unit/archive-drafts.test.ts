import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanOldDrafts, draftPdfPath, ensureDraftsFolder, newDraftId, readDraft, removeDraft, writeDraftMeta, type StoredDraft } from '../../main/archive/drafts';
import { resolveStored, volumeRelativeName, yearFolderName } from '../../main/archive/folders';

/** Drafts beside the database: metadata checked when read, a week's lifetime; the volumes' file names. */

let dir: string;
let dbPath: string;

function stored(draftId: string): StoredDraft {
  return {
    draft: {
      draftId,
      kind: 'class_journal',
      title: 'Классный журнал 5А класса',
      fileName: '2026-001 v1 Классный журнал 5А класса.pdf',
      asVolume: true,
      duplex: false,
      pages: 3,
      sheets: 1,
      sha256: 'a'.repeat(64),
      archiveNo: '2026-001',
      version: 1,
      replaces: null,
    },
    document: { kind: 'class_journal', classId: 5 },
    kind: 'class_journal',
    yearId: 1,
    classId: 5,
    yearName: '2025/2026',
    classLabel: '5А',
    dateFrom: '2025-09-01',
    dateTo: '2026-05-26',
    retentionYears: 5,
    destroyAfter: '2031-12-31',
    countCoverAndCertification: false,
    keyFingerprint: 'b'.repeat(64),
    createdAt: '2026-06-01T10:00:00.000Z',
    createdBy: 1,
  };
}

async function makeDraft(): Promise<string> {
  const id = newDraftId();
  ensureDraftsFolder(dbPath);
  writeFileSync(draftPdfPath(dbPath, id), '%PDF-1.7\n');
  await writeDraftMeta(dbPath, stored(id));
  return id;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-drafts-'));
  dbPath = join(dir, 'school.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drafts', () => {
  it('reads back what was written', async () => {
    const id = await makeDraft();
    expect(readDraft(dbPath, id)).toEqual(stored(id));
  });

  it('refuses a draft whose metadata was edited into something else, or whose PDF is gone', async () => {
    const id = await makeDraft();
    const meta = join(dir, 'archive', 'drafts', `${id}.json`);
    const parsed = JSON.parse(readFileSync(meta, 'utf8')) as { draft: { pages: unknown } };
    parsed.draft.pages = 'много';
    writeFileSync(meta, JSON.stringify(parsed));
    expect(() => readDraft(dbPath, id)).toThrow(/Описание черновика повреждено/);
    writeFileSync(meta, '{ not json');
    expect(() => readDraft(dbPath, id)).toThrow(/Описание черновика повреждено/);

    const other = await makeDraft();
    rmSync(draftPdfPath(dbPath, other));
    expect(() => readDraft(dbPath, other)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(removeDraft(dbPath, other)).toBe(true);
    expect(removeDraft(dbPath, other)).toBe(false);
  });

  it('removes drafts older than a week, keeps fresh ones', async () => {
    const old = await makeDraft();
    const fresh = await makeDraft();
    const eightDaysAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    for (const path of [draftPdfPath(dbPath, old), join(dir, 'archive', 'drafts', `${old}.json`)]) utimesSync(path, eightDaysAgo, eightDaysAgo);
    expect(cleanOldDrafts(dbPath)).toBe(2);
    expect(existsSync(draftPdfPath(dbPath, old))).toBe(false);
    expect(readDraft(dbPath, fresh).draft.draftId).toBe(fresh);
  });
});

describe('volume file names', () => {
  it('puts a volume in its year folder under its number, version and title, safe on every OS', () => {
    expect(yearFolderName('2025/2026')).toBe('2025-2026');
    expect(volumeRelativeName({ yearName: '2025/2026', archiveNo: '2026-003', version: 2, title: 'Сводная ведомость: «итоговых» отметок?' })).toBe(
      '2025-2026/2026-003 v2 Сводная ведомость итоговых отметок.pdf',
    );
    expect(resolveStored('/a/archive', '2025-2026/x.pdf')).toBe(join('/a/archive', '2025-2026', 'x.pdf'));
  });
});
