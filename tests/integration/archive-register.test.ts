import { createHash, createPublicKey, verify } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft } from '../../common/api/archive-contract';
import type { Result } from '../../common/api/contract';
import { keyFingerprint } from '../../main/archive/keys';
import { signedStatement } from '../../main/archive/signature';
import { openInitializedApp, type TestApp } from '../support/app';
import { useQuickArchivePrinter, withForgedSignature } from '../support/archive';

/**
 * The archive register through the API (issue 7): the key made at set-up; a class journal printed
 * for preview, sealed (number, retention, SHA-256, Ed25519 signature checked here with
 * node:crypto, read-only files in the archive and the second copy), re-sealed as version 2 that
 * replaces the first; numbering across documents; verification that names a changed or missing
 * copy; and the refusals that change nothing: a stale draft, an unwritable second-copy folder,
 * a lost private key, a print-only draft, a cancelled print.
 *
 * The first seal and the cancelled print go through Chromium; the register's own rules after it
 * are checked with the real documents loaded but a quick stand-in printer (a few-page PDF), so
 * the file's browser time stays small.
 */

type AdminApp = TestApp & { adminSession: string };

let t: AdminApp;
let yearId: number;
let classId: number;
let otherClassId: number;
let mirror: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Parameters<AdminApp['call']>[1] & object) =>
  t.call(method, params as never, t.adminSession) as Promise<Result<M>>;
const refuse = (method: Parameters<AdminApp['refuse']>[0], params: unknown) => t.refuse(method, params, t.adminSession);

const archiveDir = () => join(t.dir, 'archive');
const draftFiles = () => (existsSync(join(archiveDir(), 'drafts')) ? readdirSync(join(archiveDir(), 'drafts')) : []);
const volumeCount = async () => (await t.app.db.selectFrom('archive_volume').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

function previewJournal(): Promise<Draft> {
  return call('archive.preview', { document: { kind: 'class_journal', classId }, asVolume: true });
}

beforeAll(async () => {
  t = await openInitializedApp();
  await call('demo.generate', { pupils: 60, seed: 7, year: '2025/2026' });
  const { years } = await call('years.list', {});
  yearId = years.find((y) => y.name === '2025/2026')?.id ?? 0;
  const { classes } = await call('years.get', { yearId });
  // Small classes keep Chromium's time modest.
  const byLabel = new Map(classes.map((c) => [c.label, c.id]));
  classId = byLabel.get('5А') ?? 0;
  otherClassId = byLabel.get('7А') ?? 0;
  mirror = join(t.dir, 'second-disk', 'archive-copy');
  mkdirSync(mirror, { recursive: true });
  await call('settings.update', { archiveMirrorDir: mirror });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the archive key', () => {
  it('is created at set-up: owner-only private key beside the database, public half and fingerprint in the register', async () => {
    const keyFile = join(t.dir, 'keys', 'archive-signing-key.pem');
    expect(existsSync(keyFile)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const rows = await t.app.db.selectFrom('archive_key').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(keyFingerprint(createPublicKey(readFileSync(keyFile)))).toBe(rows[0]?.fingerprint);
    const listed = await call('archive.list', {});
    expect(listed.keyFingerprint).toBe(rows[0]?.fingerprint);
    expect(listed.archiveDir).toBe(archiveDir());
    expect(listed.mirrorDir).toBe(mirror);
  });
});

let first: Result<'archive.seal'>;

describe('sealing, printed by Chromium', () => {
  it('prints a draft the user can preview, then seals it into the register with its signature and two read-only copies', async () => {
    const draft = await previewJournal();
    expect(draft).toMatchObject({ kind: 'class_journal', asVolume: true, archiveNo: '2026-001', version: 1, replaces: null, duplex: false });
    expect(draft.title).toContain('5А');
    const shown = await call('archive.file', { draftId: draft.draftId });
    const bytes = Buffer.from(shown.pdfBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(bytes)).toBe(draft.sha256);
    expect(shown.pages).toBe(draft.pages);

    first = await call('archive.seal', { draftId: draft.draftId });
    expect(first).toMatchObject({
      archiveNo: '2026-001',
      version: 1,
      kind: 'class_journal',
      yearName: '2025/2026',
      classLabel: '5А',
      pages: draft.pages,
      sheets: draft.sheets,
      sha256: draft.sha256,
      retentionYears: 5,
      status: 'sealed',
      replacedBy: null,
      sealedBy: 'Иванова Анна Петровна',
    });
    // Term: 31 December of (the year the volume ends + 5).
    expect(first.destroyAfter).toBe(`${Number(first.dateTo.slice(0, 4)) + 5}-12-31`);
    expect(first.fileName).toMatch(/^2025-2026\/2026-001 v1 .*5А.*\.pdf$/);

    for (const root of [archiveDir(), mirror]) {
      const path = join(root, ...first.fileName.split('/'));
      expect(sha256(readFileSync(path))).toBe(draft.sha256);
      if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o444);
    }
    expect(draftFiles()).toEqual([]);

    // The signature, checked with node:crypto against the public key in the register.
    const row = await t.app.db.selectFrom('archive_volume').selectAll().where('id', '=', first.volumeId).executeTakeFirstOrThrow();
    const key = await t.app.db.selectFrom('archive_key').selectAll().where('fingerprint', '=', row.key_fingerprint).executeTakeFirstOrThrow();
    const statement = `school-office archive v1\n2026-001\n1\nclass_journal\n${draft.sha256}\n${row.sealed_at}`;
    expect(signedStatement({ archiveNo: '2026-001', version: 1, kind: 'class_journal', sha256: draft.sha256, sealedAt: row.sealed_at }).toString()).toBe(statement);
    expect(verify(null, Buffer.from(statement), createPublicKey(key.public_key_pem), Buffer.from(row.signature, 'base64'))).toBe(true);

    const sealedFile = await call('archive.file', { volumeId: first.volumeId });
    expect(sha256(Buffer.from(sealedFile.pdfBase64, 'base64'))).toBe(draft.sha256);
  });

});

describe('the register, printed by the quick printer', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = useQuickArchivePrinter();
  });
  afterAll(() => restore());

  it('re-sealing the same document makes version 2 under the same number and marks the first replaced', async () => {
    const draft = await previewJournal();
    expect(draft).toMatchObject({ archiveNo: '2026-001', version: 2, replaces: first.volumeId });
    const second = await call('archive.seal', { draftId: draft.draftId });
    expect(second).toMatchObject({ archiveNo: '2026-001', version: 2, status: 'sealed' });
    expect(second.fileName).toMatch(/^2025-2026\/2026-001 v2 /);

    const current = await call('archive.list', {});
    expect(current.rows.map((r) => [r.archiveNo, r.version, r.status])).toEqual([['2026-001', 2, 'sealed']]);
    const all = await call('archive.list', { all: true });
    expect(all.rows.map((r) => [r.archiveNo, r.version, r.status, r.replacedBy])).toEqual([
      ['2026-001', 1, 'replaced', second.volumeId],
      ['2026-001', 2, 'sealed', null],
    ]);
    // The old version is kept, file and all.
    expect(existsSync(join(archiveDir(), ...first.fileName.split('/')))).toBe(true);
  });

  it('gives the next document the next number of its end year, with the retention of its kind', async () => {
    const draft = await call('archive.preview', { document: { kind: 'final_marks_ledger', yearId, classId: otherClassId }, asVolume: true, duplex: true });
    expect(draft).toMatchObject({ archiveNo: '2026-002', version: 1, duplex: true });
    const sealed = await call('archive.seal', { draftId: draft.draftId });
    expect(sealed).toMatchObject({ archiveNo: '2026-002', retentionYears: 25, classLabel: '7А', duplex: true });
    expect(sealed.destroyAfter).toBe(`${Number(sealed.dateTo.slice(0, 4)) + 25}-12-31`);
  });

  it('refuses a draft made stale by another seal of the same document, registering nothing', async () => {
    const movement = { kind: 'movement_ledger', yearId, classId: otherClassId } as const;
    const a = await call('archive.preview', { document: movement, asVolume: true });
    const b = await call('archive.preview', { document: movement, asVolume: true });
    expect([a.archiveNo, b.archiveNo]).toEqual(['2026-003', '2026-003']);
    await call('archive.seal', { draftId: a.draftId });
    const before = await volumeCount();
    const refused = await refuse('archive.seal', { draftId: b.draftId });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/^Пока вы смотрели предпросмотр, этот документ уже сдали в архив: сформируйте документ заново\.$/);
    expect(await volumeCount()).toBe(before);
    expect((await call('archive.discardDraft', { draftId: b.draftId })).discarded).toBe(true);
    expect((await refuse('archive.file', { draftId: b.draftId })).code).toBe('not_found');
  });

  it('gives a register set up before the archive existed its key on the first print for the archive', async () => {
    const older = await openInitializedApp();
    try {
      await older.call('demo.generate', { pupils: 20, seed: 2, year: '2025/2026' }, older.adminSession);
      // As before issue 7: no key in the register, no key file.
      await older.app.db.deleteFrom('archive_key').execute();
      rmSync(join(older.dir, 'keys'), { recursive: true, force: true });
      const { years } = await older.call('years.list', {}, older.adminSession);
      const draft = await older.call('archive.preview', { document: { kind: 'movement_ledger', yearId: years[0]?.id ?? 0 }, asVolume: true }, older.adminSession);
      const keys = await older.app.db.selectFrom('archive_key').selectAll().execute();
      expect(keys).toHaveLength(1);
      expect(keyFingerprint(createPublicKey(readFileSync(join(older.dir, 'keys', 'archive-signing-key.pem'))))).toBe(keys[0]?.fingerprint);
      const sealed = await older.call('archive.seal', { draftId: draft.draftId }, older.adminSession);
      expect(sealed.keyFingerprint).toBe(keys[0]?.fingerprint);
    } finally {
      await older.close();
    }
  });

  it('does not seal a print-only draft (no archive cover)', async () => {
    const draft = await call('archive.preview', { document: { kind: 'movement_ledger', yearId, classId }, asVolume: false });
    expect(draft).toMatchObject({ asVolume: false, archiveNo: null });
    const refused = await refuse('archive.seal', { draftId: draft.draftId });
    expect(refused.message).toContain('без обложки архивного дела');
    await call('archive.discardDraft', { draftId: draft.draftId });
  });
});

describe('refusals that seal nothing', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = useQuickArchivePrinter();
  });
  afterAll(() => restore());

  it('refuses when the second-copy folder cannot be written, names the folder, keeps the draft for a retry', async () => {
    const draft = await call('archive.preview', { document: { kind: 'attendance_ledger', yearId, classId }, asVolume: true });
    const before = await volumeCount();
    // A regular file where the folder should be: unwritable for everyone, root included.
    const blocker = join(t.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    // A file where the folder should be, and the folder of an unplugged drive (never created here).
    const unplugged = join(t.dir, 'unplugged-drive', 'archive');
    const unwritable = [join(blocker, 'copy'), unplugged];
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      const readOnly = join(t.dir, 'read-only-copy');
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
      unwritable.push(readOnly);
    }
    for (const folder of unwritable) {
      await call('settings.update', { archiveMirrorDir: folder });
      const refused = await refuse('archive.seal', { draftId: draft.draftId });
      expect(refused.code).toBe('refused');
      expect(refused.message).toContain(`Вторая копия архива не записана в папку «${folder}»`);
      expect(refused.message).toContain('Дело не сдано в архив');
      expect(await volumeCount()).toBe(before);
    }
    expect(readdirSync(join(archiveDir(), '2025-2026')).filter((f) => f.includes(draft.archiveNo ?? '?'))).toEqual([]);
    expect(existsSync(join(t.dir, 'unplugged-drive'))).toBe(false);

    await call('settings.update', { archiveMirrorDir: mirror });
    const sealed = await call('archive.seal', { draftId: draft.draftId });
    expect(sealed.archiveNo).toBe(draft.archiveNo);
    expect(await volumeCount()).toBe(before + 1);
  });

  it('refuses to seal without the private key file and seals again once it is restored', async () => {
    const draft = await call('archive.preview', { document: { kind: 'movement_ledger', yearId, classId }, asVolume: true });
    const keyFile = join(t.dir, 'keys', 'archive-signing-key.pem');
    const keysBefore = await t.app.db.selectFrom('archive_key').selectAll().execute();
    const before = await volumeCount();
    renameSync(keyFile, `${keyFile}.away`);
    try {
      const refused = await refuse('archive.seal', { draftId: draft.draftId });
      expect(refused.code).toBe('refused');
      expect(refused.message).toContain('Восстановите этот файл из резервной копии');
      expect(await volumeCount()).toBe(before);
      // No new key was made behind the user's back.
      expect(existsSync(keyFile)).toBe(false);
      expect(await t.app.db.selectFrom('archive_key').selectAll().execute()).toEqual(keysBefore);
    } finally {
      renameSync(`${keyFile}.away`, keyFile);
    }
    expect((await call('archive.seal', { draftId: draft.draftId })).archiveNo).toBe(draft.archiveNo);
  });

  it('a cancelled print leaves no draft', async () => {
    restore();
    const jobId = 'cancel-me';
    const before = draftFiles();
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      if (event === 'job.progress' && payload.jobId === jobId) t.app.jobs.cancel(jobId);
    });
    try {
      const refused = await refuse('archive.preview', { document: { kind: 'class_journal', classId }, asVolume: true, jobId });
      expect(refused.code).toBe('cancelled');
    } finally {
      unsubscribe();
    }
    expect(draftFiles()).toEqual(before);
  });
});

describe('verification', () => {
  it('passes on every copy of every kept volume', async () => {
    const result = await call('archive.verify', {});
    const volumes = await volumeCount();
    expect(result).toMatchObject({ ok: true, problems: [], checkedVolumes: volumes, checkedCopies: volumes * 2 });
  });

  it('names the volume and the copy when one byte of a stored PDF changes, or a copy is missing', async () => {
    const [victim] = (await call('archive.list', {})).rows;
    if (!victim) throw new Error('no volume');
    const path = join(mirror, ...victim.fileName.split('/'));
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed.writeUInt8(changed.readUInt8(Math.floor(changed.length / 2)) ^ 0x01, Math.floor(changed.length / 2));
    chmodSync(path, 0o644);
    writeFileSync(path, changed);
    try {
      const result = await call('archive.verify', {});
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        { volumeId: victim.volumeId, archiveNo: victim.archiveNo, title: expect.stringContaining(victim.title), copy: `вторая копия (${mirror})`, problem: 'файл изменён: контрольная сумма не совпадает' },
      ]);
      renameSync(path, `${path}.away`);
      const missing = await call('archive.verify', {});
      expect(missing.problems.map((p) => [p.archiveNo, p.copy, p.problem])).toEqual([[victim.archiveNo, `вторая копия (${mirror})`, 'файл не найден']]);
      renameSync(`${path}.away`, path);
    } finally {
      writeFileSync(path, original);
      chmodSync(path, 0o444);
    }
    expect((await call('archive.verify', {})).ok).toBe(true);
  });

  it('reports a register entry whose signature does not hold', async () => {
    const [victim] = (await call('archive.list', {})).rows;
    if (!victim) throw new Error('no volume');
    await withForgedSignature(t.app, victim.volumeId, async () => {
      const result = await call('archive.verify', {});
      expect(result.problems.map((p) => [p.volumeId, p.problem])).toEqual([
        [victim.volumeId, 'подпись не подтверждается'],
        [victim.volumeId, 'подпись не подтверждается'],
      ]);
    });
  });
});

describe('the audit', () => {
  it('records prints, seals and checks without personal data', async () => {
    const rows = await t.app.db.selectFrom('audit_log').selectAll().where('method', 'like', 'archive.%').execute();
    const methods = new Set(rows.map((r) => r.method));
    for (const m of ['archive.preview', 'archive.seal', 'archive.verify', 'archive.discardDraft', 'archive.file']) expect(methods).toContain(m);
    // Opening a sealed volume's PDF names the volume.
    expect(rows.some((r) => r.method === 'archive.file' && r.entity === 'archive_volume' && r.entity_id !== null)).toBe(true);
    const pupils = await t.app.db.selectFrom('pupil').select(['last_name', 'first_name']).execute();
    const text = rows.map((r) => `${r.details_json ?? ''}${r.before_json ?? ''}${r.after_json ?? ''}`).join('\n');
    for (const p of pupils) expect(text).not.toContain(p.last_name);
  });
});
