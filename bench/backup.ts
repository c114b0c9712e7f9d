import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName, Params, Result } from '../common/api/contract';
import { fsyncFile, syncFolder } from '../db/durable-file';
import type { App } from '../main/app';
import { archiveFolder, volumeRelativeName } from '../main/archive/folders';
import { vacuumInto } from '../main/backup/snapshot';

/**
 * Bench scenario of backups (issue 8, «Benchmark»): the demo school (3,000 pupils after
 * `demo-school-3000`) with 200 sealed archive PDFs, backed up to two empty target folders through
 * `backup.run`; compared with plainly copying the same bytes (a snapshot of the database, the
 * key and the PDFs) to both folders with fsync (target ratio ≤ 2); the snapshot (VACUUM INTO, which
 * both sides need: a live database file is never copied) is reported apart too. Then a second run
 * with nothing new in the archive (only the database is written again).
 *
 * The 200 PDFs are one real printed class journal (a volume of the demo school) written 200 times
 * with a distinct trailing comment line each, registered as sealed volumes, so they have real size
 * and real (incompressible) content without printing 200 journals (that is `print-school`'s job).
 */

interface BackupBenchContext {
  app: App;
  dbPath: string;
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
}

const YEAR = '2025/2026';
const VOLUMES = Number(process.env.BENCH_BACKUP_VOLUMES ?? 200);
const PASSPHRASE = 'bench-passphrase-long-enough';
const seconds = (since: bigint) => Math.round(Number(process.hrtime.bigint() - since) / 1e6) / 1000;
const round2 = (x: number) => Math.round(x * 100) / 100;

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Prints one real class journal of the demo school and stores it VOLUMES times as sealed-volume files. */
async function fillArchive(ctx: BackupBenchContext): Promise<{ files: number; bytes: number }> {
  const year = await ctx.app.db.selectFrom('school_year').select('id').where('name', '=', YEAR).executeTakeFirst();
  if (!year) await ctx.call('demo.generate', { seed: 1, pupils: Number(process.env.BENCH_PUPILS ?? 3000), year: YEAR });
  const yearRow = await ctx.app.db.selectFrom('school_year').select('id').where('name', '=', YEAR).executeTakeFirstOrThrow();
  const klass = await ctx.app.db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .select('c.id')
    .where('y.name', '=', YEAR)
    .orderBy('c.id')
    .executeTakeFirstOrThrow();
  const draft = await ctx.call('archive.preview', { document: { kind: 'class_journal', classId: klass.id }, asVolume: true });
  const pdf = Buffer.from((await ctx.call('archive.file', { draftId: draft.draftId })).pdfBase64, 'base64');
  await ctx.call('archive.discardDraft', { draftId: draft.draftId });
  const root = archiveFolder(ctx.dbPath);
  const raw = ctx.app.opened.raw;
  const keyFingerprint = (raw.prepare('select fingerprint from archive_key limit 1').get() as { fingerprint: string }).fingerprint;
  // Registered as volumes, as real archive files are: a backup takes their SHA-256 from the
  // register (the signature is not checked by a backup, so a placeholder will do here; one
  // document has one current volume, so the others are earlier versions, kept all the same).
  const register = raw.prepare(
    `insert into archive_volume (archive_no, version, kind, year_id, class_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years, destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at, status)
     values (?, 1, 'class_journal', ?, ?, ?, '2025-09-01', '2026-05-31', 76, 76, 0, 0, 5, '2031-12-31', ?, ?, 'bench', ?, ?, ?)`,
  );
  let bytes = 0;
  for (let i = 1; i <= VOLUMES; i += 1) {
    const archiveNo = `2026-${String(900 + i).padStart(3, '0')}`;
    const title = `Классный журнал (бенчмарк ${i})`;
    const relative = volumeRelativeName({ yearName: YEAR, archiveNo, version: 1, title });
    const file = join(root, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    const body = Buffer.concat([pdf, Buffer.from(`\n%bench ${archiveNo}\n`, 'ascii')]);
    writeFileSync(file, body, { mode: 0o444 });
    register.run(archiveNo, yearRow.id, klass.id, title, relative, createHash('sha256').update(body).digest('hex'), keyFingerprint, new Date().toISOString(), i === 1 ? 'sealed' : 'replaced');
    bytes += body.length;
  }
  return { files: VOLUMES, bytes };
}

/** The baseline: a snapshot of the database and a plain copy of it, the keys and the PDFs into each target, fsynced. */
function plainCopy(dbPath: string, targets: readonly string[], scratch: string): { seconds: number; snapshotSeconds: number; bytes: number } {
  const started = process.hrtime.bigint();
  const snapshot = join(scratch, 'plain-snapshot.db');
  vacuumInto(dbPath, snapshot);
  const snapshotSeconds = seconds(started);
  const sources: { from: string; name: string }[] = [{ from: snapshot, name: 'school.db' }];
  for (const folder of ['keys', 'archive']) {
    const root = join(dbPath, '..', folder);
    for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && !entry.parentPath.includes('drafts')) sources.push({ from: join(entry.parentPath, entry.name), name: join(folder, entry.parentPath.slice(root.length), entry.name) });
    }
  }
  let bytes = 0;
  for (const target of targets) {
    for (const source of sources) {
      const to = join(target, source.name);
      mkdirSync(join(to, '..'), { recursive: true });
      copyFileSync(source.from, to);
      fsyncFile(to);
      bytes += statSync(to).size;
    }
    syncFolder(target);
  }
  const total = seconds(started);
  rmSync(snapshot, { force: true });
  return { seconds: total, snapshotSeconds, bytes };
}

export const backupScenarios = [
  {
    name: 'backup-two-targets',
    async run(ctx: BackupBenchContext): Promise<Record<string, unknown>> {
      const archive = await fillArchive(ctx);
      const scratch = mkdtempSync(join(tmpdir(), 'school-office-bench-backup-'));
      try {
        // Best of two for each side (fresh empty folders each time): this machine is shared, and
        // one slow disk flush would otherwise decide the ratio.
        let plain = { seconds: Infinity, snapshotSeconds: 0, bytes: 0 };
        for (const attempt of [1, 2]) {
          const plainTargets = [join(scratch, `plain-a-${attempt}`), join(scratch, `plain-b-${attempt}`)];
          for (const t of plainTargets) mkdirSync(t);
          const measured = plainCopy(ctx.dbPath, plainTargets, scratch);
          if (measured.seconds < plain.seconds) plain = measured;
          for (const t of plainTargets) rmSync(t, { recursive: true, force: true });
        }

        await ctx.call('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true });
        let firstSeconds = Infinity;
        let targets: string[] = [];
        for (const attempt of [1, 2]) {
          if (targets.length > 0) for (const t of targets) rmSync(t, { recursive: true, force: true });
          targets = [join(scratch, `target-a-${attempt}`), join(scratch, `target-b-${attempt}`)];
          for (const t of targets) mkdirSync(t);
          const firstStarted = process.hrtime.bigint();
          const first = await ctx.call('backup.run', { targets });
          firstSeconds = Math.min(firstSeconds, seconds(firstStarted));
          if (!first.targets.every((t) => t.ok)) throw new Error(first.targets.map((t) => t.error).join('; '));
        }
        const written = targets.map(folderBytes);

        const secondStarted = process.hrtime.bigint();
        const second = await ctx.call('backup.run', { targets });
        const secondSeconds = seconds(secondStarted);
        if (!second.targets.every((t) => t.ok)) throw new Error(second.targets.map((t) => t.error).join('; '));
        return {
          pdfs: archive.files,
          archiveMiB: round2(archive.bytes / 2 ** 20),
          plainCopySeconds: plain.seconds,
          plainSnapshotSeconds: plain.snapshotSeconds,
          plainCopyMiB: round2(plain.bytes / 2 ** 20),
          firstRunSeconds: firstSeconds,
          writtenMiBPerTarget: written.map((b) => round2(b / 2 ** 20)),
          ratioToPlainCopy: round2(firstSeconds / plain.seconds),
          // Without the snapshot on both sides: the copying alone against writing and checking alone.
          ratioWithoutSnapshot: round2((firstSeconds - plain.snapshotSeconds) / (plain.seconds - plain.snapshotSeconds)),
          targetRatio: 2,
          secondRunSeconds: secondSeconds,
          secondRatioToPlainCopy: round2(secondSeconds / plain.seconds),
        };
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  },
];
