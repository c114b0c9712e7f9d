import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeDocument } from '../../common/api/archive-contract';
import type { Result } from '../../common/api/contract';
import { openInitializedApp, type TestApp } from '../support/app';
import { overwriteSealed, useQuickArchivePrinter, withForgedSignature } from '../support/archive';

/**
 * «Записать недостающие вторые копии» (`archive.syncMirror`) through the API: volumes sealed
 * while no second-copy folder was set get their copies once it is set — read-only, equal to the
 * register's SHA-256 — and verification passes; a second run writes nothing; a damaged or
 * missing main copy is never copied; a damaged second copy is never overwritten; no folder, or
 * the archive folder itself, is refused; a cancel keeps what was written and says so.
 *
 * The documents are the demo school's real ones, printed by a quick stand-in printer (a small
 * PDF): the register's rules are under test here, not Chromium.
 */

type AdminApp = TestApp & { adminSession: string };
type SyncResult = Result<'archive.syncMirror'>;

let t: AdminApp;
let restorePrinter: () => void;
let mirror: string;
let volumes: Result<'archive.seal'>[] = [];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Parameters<AdminApp['call']>[1] & object) =>
  t.call(method, params as never, t.adminSession) as Promise<Result<M>>;
const refuse = (method: Parameters<AdminApp['refuse']>[0], params: unknown) => t.refuse(method, params, t.adminSession);

const mainCopy = (v: { fileName: string }) => join(t.dir, 'archive', ...v.fileName.split('/'));
const mirrorCopy = (v: { fileName: string }) => join(mirror, ...v.fileName.split('/'));

/** Flips one byte of a sealed (read-only) file in place; returns the original bytes. */
function damage(path: string): Buffer {
  const original = readFileSync(path);
  const changed = Buffer.from(original);
  const at = Math.floor(changed.length / 2);
  changed.writeUInt8(changed.readUInt8(at) ^ 0x01, at);
  overwriteSealed(path, changed);
  return original;
}

async function seal(document: VolumeDocument): Promise<Result<'archive.seal'>> {
  const draft = await call('archive.preview', { document, asVolume: true });
  return call('archive.seal', { draftId: draft.draftId });
}

beforeAll(async () => {
  restorePrinter = useQuickArchivePrinter();
  t = await openInitializedApp();
  await call('demo.generate', { pupils: 60, seed: 11, year: '2025/2026' });
  const { years } = await call('years.list', {});
  const yearId = years.find((y) => y.name === '2025/2026')?.id ?? 0;
  const { classes } = await call('years.get', { yearId });
  const classId = classes.find((c) => c.label === '5А')?.id ?? 0;
  mirror = join(t.dir, 'second-disk', 'archive-copy');
  // The second disk is plugged in: its folder exists (a missing one is never created).
  mkdirSync(mirror, { recursive: true });

  // Sealed while no second copy is configured (the setting is empty on a new register); the
  // journal twice, so that a replaced version is among the kept volumes too.
  expect((await call('settings.get', {})).archiveMirrorDir).toBe('');
  const journalV1 = await seal({ kind: 'class_journal', classId });
  const ledger = await seal({ kind: 'final_marks_ledger', yearId });
  const journalV2 = await seal({ kind: 'class_journal', classId });
  volumes = [journalV1, ledger, journalV2];
  expect(volumes.map((v) => [v.archiveNo, v.version])).toEqual([
    ['2026-001', 1],
    ['2026-002', 1],
    ['2026-001', 2],
  ]);
}, 120_000);

afterAll(async () => {
  restorePrinter?.();
  await t?.close();
});

describe('without a second-copy folder', () => {
  it('refuses in Russian, saying where the folder is set, and writes nothing', async () => {
    const refused = await refuse('archive.syncMirror', {});
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain('Папка второй копии архива не указана');
    expect(refused.message).toContain('«Настройки», блок «Архив», поле «Папка второй копии архива»');
    expect(readdirSync(mirror)).toEqual([]);
  });

  it('refuses the folder of an unplugged drive and never creates it on the local disk', async () => {
    const unplugged = join(t.dir, 'usb-drive', 'archive-copy');
    await call('settings.update', { archiveMirrorDir: unplugged });
    try {
      const refused = await refuse('archive.syncMirror', {});
      expect(refused.code).toBe('refused');
      expect(refused.message).toContain(`Папка второй копии архива «${unplugged}» недоступна: подключите диск`);
      expect(existsSync(join(t.dir, 'usb-drive'))).toBe(false);
    } finally {
      await call('settings.update', { archiveMirrorDir: '' });
    }
  });

  it('refuses the archive folder itself as the second copy', async () => {
    await call('settings.update', { archiveMirrorDir: join(t.dir, 'archive') });
    try {
      const refused = await refuse('archive.syncMirror', {});
      expect(refused.code).toBe('refused');
      expect(refused.message).toContain('совпадает с папкой основной копии');
    } finally {
      await call('settings.update', { archiveMirrorDir: '' });
    }
  });
});

describe('once the folder is set', () => {
  beforeAll(async () => {
    await call('settings.update', { archiveMirrorDir: mirror });
  });

  it('verification names every volume whose second copy is missing', async () => {
    const result = await call('archive.verify', {});
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.volumeId, p.copy, p.problem])).toEqual(
      volumes.map((v) => [v.volumeId, `вторая копия (${mirror})`, 'файл не найден']),
    );
  });

  it('a cancel between volumes keeps what was written and says so', async () => {
    const jobId = 'sync-cancel';
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      if (event === 'job.progress' && payload.jobId === jobId) t.app.jobs.cancel(jobId);
    });
    try {
      const refused = await refuse('archive.syncMirror', { jobId });
      expect(refused.code).toBe('cancelled');
      expect(refused.message).toBe('Запись вторых копий прервана. Уже записано копий: 0; они сохранены. Запустите запись снова, чтобы дописать остальные.');
    } finally {
      unsubscribe();
    }
    for (const v of volumes) expect(existsSync(mirrorCopy(v))).toBe(false);
  });

  it('copies every missing second copy read-only and equal to the register, with progress per volume; verification then passes', async () => {
    const jobId = 'sync-all';
    const progress: [number, number, string][] = [];
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      if (event === 'job.progress' && payload.jobId === jobId) progress.push([payload.done, payload.total, payload.stage]);
    });
    let result: SyncResult;
    try {
      result = await call('archive.syncMirror', { jobId });
    } finally {
      unsubscribe();
    }
    expect(result).toEqual({ copied: 3, alreadyPresent: 0, failed: [] });
    expect(progress[0]).toEqual([0, 3, 'Запись недостающих вторых копий']);
    expect(progress.at(-1)).toEqual([3, 3, 'Запись недостающих вторых копий']);
    for (const v of volumes) {
      const bytes = readFileSync(mirrorCopy(v));
      expect(sha256(bytes)).toBe(v.sha256);
      expect(bytes.equals(readFileSync(mainCopy(v)))).toBe(true);
      if (process.platform !== 'win32') expect(statSync(mirrorCopy(v)).mode & 0o777).toBe(0o444);
    }
    const verified = await call('archive.verify', {});
    expect(verified).toMatchObject({ ok: true, problems: [], checkedVolumes: 3, checkedCopies: 6 });
  });

  it('a second run copies nothing: every copy is already there and intact', async () => {
    const before = volumes.map((v) => statSync(mirrorCopy(v)).mtimeMs);
    expect(await call('archive.syncMirror', {})).toEqual({ copied: 0, alreadyPresent: 3, failed: [] });
    expect(volumes.map((v) => statSync(mirrorCopy(v)).mtimeMs)).toEqual(before);
  });

  it('never copies a damaged or missing main copy, and says to restore it from the backup', async () => {
    const [victim, other] = volumes;
    if (!victim || !other) throw new Error('no volumes');
    rmSync(mirrorCopy(victim), { force: true });
    rmSync(mirrorCopy(other), { force: true });
    const original = damage(mainCopy(victim));
    renameSync(mainCopy(other), `${mainCopy(other)}.away`);
    try {
      const result = await call('archive.syncMirror', {});
      expect(result.copied).toBe(0);
      expect(result.alreadyPresent).toBe(1);
      expect(result.failed).toEqual([
        {
          volumeId: victim.volumeId,
          archiveNo: victim.archiveNo,
          title: victim.title,
          problem: 'основная копия повреждена (файл изменён: контрольная сумма не совпадает) — восстановите её из резервной копии и запустите запись недостающих копий снова',
        },
        {
          volumeId: other.volumeId,
          archiveNo: other.archiveNo,
          title: other.title,
          problem: 'основная копия повреждена (файл не найден) — восстановите её из резервной копии и запустите запись недостающих копий снова',
        },
      ]);
      expect(existsSync(mirrorCopy(victim))).toBe(false);
      expect(existsSync(mirrorCopy(other))).toBe(false);
    } finally {
      overwriteSealed(mainCopy(victim), original);
      renameSync(`${mainCopy(other)}.away`, mainCopy(other));
    }
    // Once the main copies are restored, the same run writes both.
    expect(await call('archive.syncMirror', {})).toEqual({ copied: 2, alreadyPresent: 1, failed: [] });
    expect((await call('archive.verify', {})).ok).toBe(true);
  });

  it('never overwrites a present second copy that is damaged: reports it and says what to do', async () => {
    const victim = volumes[2];
    if (!victim) throw new Error('no volume');
    const original = damage(mirrorCopy(victim));
    const damaged = readFileSync(mirrorCopy(victim));
    try {
      const result = await call('archive.syncMirror', {});
      expect(result).toMatchObject({ copied: 0, alreadyPresent: 2 });
      expect(result.failed).toHaveLength(1);
      expect(result.failed[0]).toMatchObject({ volumeId: victim.volumeId, archiveNo: '2026-001', title: `${victim.title} (версия 2)` });
      expect(result.failed[0]?.problem).toMatch(/^вторая копия повреждена: файл изменён: контрольная сумма не совпадает\. Она не перезаписывается автоматически/);
      expect(result.failed[0]?.problem).toContain(`переименуйте или удалите файл «${mirrorCopy(victim)}»`);
      // Untouched: still the damaged bytes.
      expect(readFileSync(mirrorCopy(victim)).equals(damaged)).toBe(true);
    } finally {
      overwriteSealed(mirrorCopy(victim), original);
    }
    expect((await call('archive.verify', {})).ok).toBe(true);
  });

  it('copies nothing for a register entry whose signature does not hold', async () => {
    const victim = volumes[1];
    if (!victim) throw new Error('no volume');
    rmSync(mirrorCopy(victim), { force: true });
    await withForgedSignature(t.app, victim.volumeId, async () => {
      const result = await call('archive.syncMirror', {});
      expect(result).toMatchObject({ copied: 0, alreadyPresent: 2 });
      expect(result.failed.map((f) => f.volumeId)).toEqual([victim.volumeId]);
      expect(result.failed[0]?.problem).toMatch(/^запись описи не подтверждается подписью архива — копия не записана\./);
      expect(existsSync(mirrorCopy(victim))).toBe(false);
    });
    expect(await call('archive.syncMirror', {})).toEqual({ copied: 1, alreadyPresent: 2, failed: [] });
  });

  it('audits every run with counts only', async () => {
    const rows = await t.app.db.selectFrom('audit_log').select(['details_json']).where('method', '=', 'archive.syncMirror').orderBy('id').execute();
    const details = rows.map((r) => JSON.parse(r.details_json ?? '{}') as Record<string, unknown>);
    expect(details[0]).toEqual({ copied: 0, alreadyPresent: 0, failed: 0, cancelled: true });
    expect(details[1]).toEqual({ copied: 3, alreadyPresent: 0, failed: 0, cancelled: false });
    expect(details).toHaveLength(8);
    for (const d of details) expect(Object.keys(d).sort()).toEqual(['alreadyPresent', 'cancelled', 'copied', 'failed']);
  });
});
