import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeDocument, VolumeRow } from '../../common/api/archive-contract';
import { archiveFolder, resolveStored } from '../../main/archive/folders';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';

/**
 * The end of a volume's term through the API: the act lists the volumes whose term has ended
 * (journals: 5 years, ledgers: 25), refuses with the first due date when nothing is due, and
 * destroying by the approved act marks the volumes and removes both copies of their files —
 * refusing, with nothing changed, a volume not yet due or already destroyed.
 */

type AdminApp = TestApp & { adminSession: string };

let t: AdminApp;
let clock = new Date('2026-06-20T09:00:00Z');
let mirror: string;
let session: string;
let journalV1: VolumeRow;
let journalV2: VolumeRow;
let ledger: VolumeRow;

/** The text of a PDF, flattened to single spaces: as laid out on the page, or in reading order (cells kept whole). */
function pdfText(pdf: Buffer, mode: 'layout' | 'raw'): string {
  const file = join(t.dir, `act-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [...(mode === 'layout' ? ['-layout'] : []), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

function pdfPages(pdf: Buffer): number {
  const file = join(t.dir, `act-info-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

async function seal(document: VolumeDocument): Promise<VolumeRow> {
  const draft = await t.call('archive.preview', { document, asVolume: true }, session);
  return t.call('archive.seal', { draftId: draft.draftId }, session);
}

async function statuses(): Promise<{ id: number; status: string; destruction_act: string | null }[]> {
  return t.app.db.selectFrom('archive_volume').select(['id', 'status', 'destruction_act']).orderBy('id').execute();
}

const mainFile = (row: VolumeRow) => resolveStored(archiveFolder(t.dbPath), row.fileName);
const mirrorFile = (row: VolumeRow) => resolveStored(mirror, row.fileName);

beforeAll(async () => {
  t = await openInitializedApp({ now: () => clock });
  session = t.adminSession;
  mirror = mkdtempSync(join(tmpdir(), 'school-office-mirror-'));
  await t.call('settings.update', { archiveMirrorDir: mirror }, session);
  await t.call('demo.generate', { pupils: 30, seed: 11, year: '2025/2026' }, session);
  // A small journal: one class, its September lessons only (the other lessons are not what is tested here).
  const cls = await t.app.db.selectFrom('school_class').select(['id', 'year_id']).where('parallel', '=', 5).orderBy('letter').executeTakeFirstOrThrow();
  await t.app.db.deleteFrom('lesson').where('lesson_date', '>', '2025-09-30').execute();
  journalV1 = await seal({ kind: 'class_journal', classId: cls.id });
  journalV2 = await seal({ kind: 'class_journal', classId: cls.id });
  ledger = await seal({ kind: 'movement_ledger', yearId: cls.year_id });
}, 180_000);

afterAll(async () => {
  await t.close();
  rmSync(mirror, { recursive: true, force: true });
});

describe('the act of selection for destruction', () => {
  it('lists the journals past their 5-year term, the replaced version too, and not the 25-year ledger', async () => {
    expect(journalV2.archiveNo).toBe(journalV1.archiveNo);
    // Terms count from 1 January after the volume's last date: the trimmed journal ends in 2025.
    expect(journalV1.dateTo.slice(0, 4)).toBe('2025');
    expect(journalV1.destroyAfter).toBe('2030-12-31');
    expect(ledger.destroyAfter).toBe(`${Number(ledger.dateTo.slice(0, 4)) + 25}-12-31`);

    const act = await t.call('archive.destructionAct', { asOf: '2040-01-01' }, session);
    expect(act.volumes).toEqual([journalV1.volumeId, journalV2.volumeId]);
    const pdf = Buffer.from(act.pdfBase64, 'base64');
    expect(pdfPages(pdf)).toBe(act.pages);
    const flat = pdfText(pdf, 'raw');
    const laidOut = pdfText(pdf, 'layout');
    expect(flat).toContain('УТВЕРЖДАЮ');
    expect(flat).toContain('АКТ');
    expect(flat).toContain('о выделении к уничтожению документов, не подлежащих хранению');
    expect(flat).toContain('отобраны к уничтожению как не имеющие научно-исторической ценности и утратившие практическое значение документы');
    // The header cells wrap in the table: every word of every column is in the header row (before the column numbers 1…8).
    const header = laidOut.slice(laidOut.indexOf('по состоянию на 01.01.2040'), laidOut.indexOf('1 2 3 4 5 6 7 8'));
    for (const column of ['№ п/п', 'Заголовок дела', 'Крайние даты', 'Номер описи', 'Индекс / № дела', 'Количество дел (томов)', 'Срок хранения', 'Примечание']) {
      for (const word of column.split(' ')) expect(header).toContain(word);
    }
    expect(flat).toContain(`${journalV1.archiveNo}, версия 2`);
    expect(flat).toContain(journalV1.title.split(' ').slice(0, 3).join(' '));
    expect(flat).toContain('5 лет');
    expect(flat).toContain('заменено новой версией');
    expect(flat).toContain('Итого 2 (два) дела за 2025 год.');
    expect(flat).toContain('Председатель экспертной комиссии');
    expect(flat).not.toContain(ledger.archiveNo);

    const audit = await t.app.db.selectFrom('audit_log').select('details_json').where('method', '=', 'archive.destructionAct').execute();
    expect(audit.map((a) => JSON.parse(a.details_json ?? '{}') as unknown)).toContainEqual(expect.objectContaining({ asOf: '2040-01-01', volumes: 2 }));
  });

  it('refuses when nothing is due, naming the first day something will be', async () => {
    const error = await t.refuse('archive.destructionAct', { asOf: '2030-12-31' }, session);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('На 31.12.2030');
    expect(error.message).toContain('с 01.01.2031');
  });
});

describe('destroying by the approved act', () => {
  it('refuses a volume whose term has not ended, naming it, and changes nothing', async () => {
    clock = new Date('2040-01-15T09:00:00Z');
    // Years later: a new login (the old session's screen is locked by then).
    session = (await t.call('auth.login', { login: ADMIN.login, password: ADMIN.password })).sessionId;
    const before = await statuses();
    const error = await t.refuse('archive.destroy', { volumeIds: [journalV1.volumeId, ledger.volumeId], actNumber: '3', actDate: '2040-01-14' }, session);
    expect(error.code).toBe('refused');
    expect(error.message).toContain(ledger.archiveNo);
    expect(error.message).toContain('31.12.2051');
    expect(error.message).not.toContain(journalV1.archiveNo);
    expect(await statuses()).toEqual(before);
    expect(existsSync(mainFile(journalV1))).toBe(true);
  });

  it('refuses an act dated in the future', async () => {
    const error = await t.refuse('archive.destroy', { volumeIds: [journalV1.volumeId], actNumber: '3', actDate: '2040-02-01' }, session);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('01.02.2040');
  });

  it('marks the volumes destroyed with the act, removes both copies and reports a file it could not remove', async () => {
    for (const row of [journalV1, journalV2]) {
      expect(existsSync(mainFile(row))).toBe(true);
      expect(existsSync(mirrorFile(row))).toBe(true);
    }
    // A second copy that cannot be removed (a folder in the file's place: fails even for root).
    rmSync(mirrorFile(journalV2), { force: true });
    mkdirSync(mirrorFile(journalV2));
    writeFileSync(join(mirrorFile(journalV2), 'x'), 'x');

    const result = await t.call('archive.destroy', { volumeIds: [journalV1.volumeId, journalV2.volumeId], actNumber: '№ 3', actDate: '2040-01-14' }, session);
    expect(result.destroyed).toBe(2);
    expect(result.notRemoved).toHaveLength(1);
    expect(result.notRemoved[0]).toContain(`${journalV2.archiveNo} (версия 2), вторая копия`);

    const rows = await statuses();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const row of [journalV1, journalV2]) {
      expect(byId.get(row.volumeId)).toMatchObject({ status: 'destroyed', destruction_act: '№ 3 от 14.01.2040' });
      expect(existsSync(mainFile(row))).toBe(false);
    }
    expect(existsSync(mirrorFile(journalV1))).toBe(false);
    expect(byId.get(ledger.volumeId)?.status).toBe('sealed');
    expect(existsSync(mainFile(ledger))).toBe(true);

    const audit = await t.app.db.selectFrom('audit_log').select(['entity_id', 'details_json']).where('method', '=', 'archive.destroy').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(expect.arrayContaining([String(journalV1.volumeId), String(journalV2.volumeId)]));
  });

  it('refuses to destroy a volume twice, and the act no longer lists destroyed volumes', async () => {
    const error = await t.refuse('archive.destroy', { volumeIds: [journalV1.volumeId], actNumber: '4', actDate: '2040-01-15' }, session);
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`${journalV1.archiveNo} (акт № 3 от 14.01.2040)`);

    const none = await t.refuse('archive.destructionAct', { asOf: '2040-01-15' }, session);
    const ledgerDue = Number(ledger.destroyAfter.slice(0, 4)) + 1;
    expect(none.message).toContain(`с 01.01.${ledgerDue}`);
  });
});
