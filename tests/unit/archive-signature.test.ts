import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { ensureSigningKey, keyFingerprint, loadSigningKey, printedFingerprint, privateKeyPath, publicKeys } from '../../main/archive/keys';
import { destroyAfter, formatArchiveNo } from '../../main/archive/numbering';
import { signatureVerifies, signedStatement, signVolume, type SignedFields } from '../../main/archive/signature';

/**
 * The archive key and signature (issue 7): Ed25519 from node:crypto, the fingerprint as SHA-256
 * of the raw public key, the signed statement binding the hash to the register entry, and the
 * refusals that keep old signatures verifiable (never a silent new key).
 */

const FIELDS: SignedFields = { archiveNo: '2026-003', version: 2, kind: 'class_journal', sha256: 'ab'.repeat(32), sealedAt: '2026-06-20T10:00:00.000Z' };

describe('signature', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('signs exactly the documented statement', () => {
    expect(signedStatement(FIELDS).toString('utf8')).toBe(`school-office archive v1\n2026-003\n2\nclass_journal\n${'ab'.repeat(32)}\n2026-06-20T10:00:00.000Z`);
    const signature = signVolume(privateKey, FIELDS);
    // Checked by node:crypto directly, not by the module's own verifier.
    expect(verify(null, signedStatement(FIELDS), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(signatureVerifies(publicKey, FIELDS, signature)).toBe(true);
  });

  it('fails when any signed field changes, for another key, or for garbage', () => {
    const signature = signVolume(privateKey, FIELDS);
    for (const changed of [
      { ...FIELDS, archiveNo: '2026-004' },
      { ...FIELDS, version: 3 },
      { ...FIELDS, kind: 'movement_ledger' as const },
      { ...FIELDS, sha256: `ac${'ab'.repeat(31)}` },
      { ...FIELDS, sealedAt: '2026-06-20T10:00:00.001Z' },
    ]) {
      expect(signatureVerifies(publicKey, changed, signature)).toBe(false);
    }
    expect(signatureVerifies(generateKeyPairSync('ed25519').publicKey, FIELDS, signature)).toBe(false);
    expect(signatureVerifies(publicKey, FIELDS, 'not a signature')).toBe(false);
  });

  it('fingerprints the raw 32-byte public key and prints its first 16 bytes grouped', () => {
    // The raw key is the last 32 bytes of the SPKI DER (12-byte prefix for Ed25519).
    const der = publicKey.export({ format: 'der', type: 'spki' });
    expect(der.length).toBe(44);
    const expected = createHash('sha256').update(der.subarray(12)).digest('hex');
    expect(keyFingerprint(publicKey)).toBe(expected);
    expect(printedFingerprint(expected)).toBe(expected.slice(0, 32).toUpperCase().replace(/(.{4})(?=.)/g, '$1 '));
    expect(printedFingerprint(expected)).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  });
});

describe('archive key beside the database', () => {
  let dir: string;
  let opened: OpenedDatabase;
  let dbPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'school-office-archive-key-'));
    dbPath = join(dir, 'school.db');
    opened = openDatabase(dbPath);
    await migrateToLatest(opened, new Date('2026-06-01T00:00:00Z'));
  });
  afterAll(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the key once: owner-only PEM file, public half and fingerprint in the register', async () => {
    const first = await ensureSigningKey(opened.db, dbPath, new Date('2026-06-01T00:00:00Z'));
    expect(first.created).toBe(true);
    if (process.platform !== 'win32') expect(statSync(privateKeyPath(dbPath)).mode & 0o777).toBe(0o600);
    const rows = await opened.db.selectFrom('archive_key').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fingerprint).toBe(first.fingerprint);
    expect(keyFingerprint(createPublicKey(rows[0]?.public_key_pem ?? ''))).toBe(first.fingerprint);

    const again = await ensureSigningKey(opened.db, dbPath, new Date('2026-06-02T00:00:00Z'));
    expect(again).toMatchObject({ created: false, fingerprint: first.fingerprint });
    expect(await opened.db.selectFrom('archive_key').selectAll().execute()).toHaveLength(1);
    expect((await loadSigningKey(opened.db, dbPath)).fingerprint).toBe(first.fingerprint);
  });

  it('refuses to sign without the private key file, and never makes a new key then', async () => {
    const path = privateKeyPath(dbPath);
    renameSync(path, `${path}.away`);
    try {
      await expect(loadSigningKey(opened.db, dbPath)).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('Восстановите этот файл из резервной копии') });
      await expect(ensureSigningKey(opened.db, dbPath, new Date())).rejects.toMatchObject({ code: 'refused' });
      expect(await opened.db.selectFrom('archive_key').selectAll().execute()).toHaveLength(1);
      // Verification still has the public key.
      expect((await publicKeys(opened.db)).size).toBe(1);
    } finally {
      renameSync(`${path}.away`, path);
    }
  });

  it('refuses a key file that is not the registered key', async () => {
    const path = privateKeyPath(dbPath);
    renameSync(path, `${path}.away`);
    try {
      writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
      await expect(loadSigningKey(opened.db, dbPath)).rejects.toMatchObject({ code: 'refused' });
    } finally {
      renameSync(`${path}.away`, path);
    }
  });
});

describe('numbers and terms', () => {
  it('numbers by the end year with a 3-digit sequence', () => {
    expect(formatArchiveNo(2026, 3)).toBe('2026-003');
    expect(formatArchiveNo(2026, 1234)).toBe('2026-1234');
  });

  it('ends the term on 31 December of the end year plus the retention', () => {
    expect(destroyAfter('2026-05-26', 5)).toBe('2031-12-31');
    expect(destroyAfter('2026-12-31', 25)).toBe('2051-12-31');
  });
});
