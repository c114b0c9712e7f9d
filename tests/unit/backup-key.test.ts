import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupKey, openDataKey, rewrapBackupKey, sealDataKey, unlockBackupKey, type BackupKeyRecord } from '../../main/backup/backup-key';
import { BackupFileError } from '../../main/backup/format';
import { removeStaleTemps } from '../../main/backup/hygiene';
import { faultySink, MultiSink, NoTargetLeft, type FileSink } from '../../main/backup/sink';

/**
 * The hybrid keys on their own: a data key sealed to the public key opens only with the private
 * key the passphrase unwraps; a wrong passphrase is told as such; a rewrap keeps the key pair;
 * the multi-target sink drops a failing member and goes on; stale temp files of dead runs go.
 */

let key: BackupKeyRecord;
let dir: string;

beforeAll(async () => {
  key = await createBackupKey('правильная фраза');
  dir = mkdtempSync(join(tmpdir(), 'school-office-backup-key-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup key pair', () => {
  it('seals a fresh data key per file that the unlocked private key opens', async () => {
    const a = sealDataKey(key.publicKey);
    const b = sealDataKey(key.publicKey);
    expect(a.dataKey).toHaveLength(32);
    expect(a.dataKey.equals(b.dataKey)).toBe(false);
    expect(a.ephemeralPublicKey).not.toBe(b.ephemeralPublicKey);
    const privateKey = await unlockBackupKey(key, 'правильная фраза');
    expect(openDataKey(privateKey, a).equals(a.dataKey)).toBe(true);
    expect(openDataKey(privateKey, b).equals(b.dataKey)).toBe(true);
    // Another pair's private key does not open it.
    const other = await unlockBackupKey(await createBackupKey('другая фраза!'), 'другая фраза!');
    expect(() => openDataKey(other, a)).toThrow(BackupFileError);
  });

  it('tells a wrong passphrase; the record holds no plaintext private key and no passphrase', async () => {
    await expect(unlockBackupKey(key, 'неправильная фраза')).rejects.toMatchObject({ kind: 'passphrase', message: 'неверная парольная фраза' });
    expect(JSON.stringify(key)).not.toContain('правильная фраза');
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect([key.kdf.N, key.kdf.r, key.kdf.p]).toEqual([2 ** 17, 8, 1]);
  });

  it('rewraps the same private key under a new passphrase (new salt); the old one no longer opens the new record', async () => {
    const sealed = sealDataKey(key.publicKey);
    const next = await rewrapBackupKey(key, 'правильная фраза', 'новая фраза 123');
    expect(next.fingerprint).toBe(key.fingerprint);
    expect(next.kdf.salt).not.toBe(key.kdf.salt);
    expect(openDataKey(await unlockBackupKey(next, 'новая фраза 123'), sealed).equals(sealed.dataKey)).toBe(true);
    await expect(unlockBackupKey(next, 'правильная фраза')).rejects.toMatchObject({ kind: 'passphrase' });
    await expect(rewrapBackupKey(key, 'не та', 'x'.repeat(8))).rejects.toMatchObject({ kind: 'passphrase' });
  });
});

function memorySink(): FileSink & { bytes: Buffer[]; finished: boolean } {
  const sink = {
    bytes: [] as Buffer[],
    finished: false,
    write: (b: Buffer) => void sink.bytes.push(Buffer.from(b)),
    finish: () => void (sink.finished = true),
    abandon: () => undefined,
  };
  return sink;
}

describe('multi-target sink', () => {
  it('writes the same bytes to every member; one that fails (ENOSPC after N bytes) drops out, the others go on', () => {
    const good = memorySink();
    const bad = memorySink();
    const multi = new MultiSink(new Map<string, FileSink>([['good', good], ['bad', faultySink(bad, 'ENOSPC', 10)]]));
    multi.write(Buffer.alloc(8, 1));
    multi.write(Buffer.alloc(8, 2));
    multi.write(Buffer.alloc(8, 3));
    multi.finish();
    expect(Buffer.concat(good.bytes)).toHaveLength(24);
    expect(Buffer.concat(bad.bytes)).toHaveLength(10);
    expect(multi.alive()).toEqual(['good']);
    expect((multi.failures.get('bad') as { code: string }).code).toBe('ENOSPC');
    expect([good.finished, bad.finished]).toEqual([true, false]);
  });

  it('stops with NoTargetLeft when every member failed', () => {
    const multi = new MultiSink(new Map<string, FileSink>([['a', faultySink(memorySink(), 'EIO', 0)]]));
    expect(() => multi.write(Buffer.alloc(1))).toThrow(NoTargetLeft);
  });
});

describe('target hygiene', () => {
  it('removes temp files of dead processes (root and archive/), keeps those of live ones and other files', () => {
    const target = join(dir, 'target');
    mkdirSync(join(target, 'archive', '2025-2026'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(target, `.school-2026-01-01-000000.sobak.tmp-${dead}`), 'half');
    writeFileSync(join(target, 'archive', '2025-2026', `.x.pdf.sobak.tmp-${dead}`), 'half');
    writeFileSync(join(target, `.school-2026-01-02-000000.sobak.tmp-${process.pid + 0}`), 'mine');
    writeFileSync(join(target, `.other.tmp-${process.ppid}`), 'alive');
    writeFileSync(join(target, `.not-ours.tmp-${dead}`), 'another program');
    writeFileSync(join(target, 'school-2026-01-01-000000.sobak'), 'kept');
    expect(removeStaleTemps(target, false)).toBe(1);
    expect(removeStaleTemps(join(target, 'archive'), true)).toBe(1);
    expect(readdirSync(target).sort()).toEqual([`.not-ours.tmp-${dead}`, `.other.tmp-${process.ppid}`, `.school-2026-01-02-000000.sobak.tmp-${process.pid}`, 'archive', 'school-2026-01-01-000000.sobak']);
    expect(readdirSync(join(target, 'archive', '2025-2026'))).toEqual([]);
  });
});
