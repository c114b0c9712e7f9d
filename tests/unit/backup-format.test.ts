import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupFileError, ChunkWriter, decryptChunks, deriveKey, encodePrefix, newKdfParams, readHeader, type BackupHeaderV1 } from '../../main/backup/format';

/**
 * The encrypted chunk stream on its own: plaintext of every length round-trips (chunk
 * boundaries included); chunks swapped, dropped or a file cut at a chunk boundary are noticed
 * and named; a wrong passphrase is told from damage; the KDF is the memory-hard one of the spec.
 */

const CHUNK = 1024;
let dir: string;
let header: BackupHeaderV1;
let key: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-backup-format-'));
  header = { format: 1, appVersion: '0.0.0', schemaVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', kdf: newKdfParams(), chunkSize: CHUNK };
  key = await deriveKey('правильная фраза', header.kdf);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, plain: Buffer): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    const prefix = encodePrefix(header, key);
    const writer = new ChunkWriter(fd, key, prefix.headerHash, CHUNK);
    writer.writeRaw(prefix.bytes);
    // Uneven pieces: the writer must cut chunks itself.
    for (let offset = 0; offset < plain.length; offset += 700) writer.write(plain.subarray(offset, offset + 700));
    writer.finish();
  } finally {
    closeSync(fd);
  }
  return path;
}

async function read(path: string, withKey = key): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of decryptChunks(path, readHeader(path), withKey)) parts.push(part);
  return Buffer.concat(parts);
}

async function failure(path: string, withKey = key): Promise<string> {
  try {
    await read(path, withKey);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupFileError);
    return (error as Error).message;
  }
  throw new Error('decrypted a damaged file');
}

/** Offsets of the chunks in a file with `n` full chunks of CHUNK bytes and one last chunk. */
function chunkStarts(path: string): number[] {
  const opened = readHeader(path);
  const bytes = readFileSync(path);
  const starts: number[] = [];
  let position = opened.checkOffset + 12 + 16 + 16;
  while (position < bytes.length) {
    starts.push(position);
    position += 5 + 12 + bytes.readUInt32BE(position) + 16;
  }
  return starts;
}

describe('the encrypted chunk stream', () => {
  it('round-trips empty, short, exactly one chunk and many chunks', async () => {
    for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 333]) {
      const plain = randomBytes(size);
      expect((await read(write(`rt-${size}.bin`, plain))).equals(plain), String(size)).toBe(true);
    }
  });

  it('notices swapped chunks, a dropped chunk, a file cut at a chunk boundary, bytes appended', async () => {
    const path = write('five.bin', randomBytes(5 * CHUNK + 10));
    const bytes = readFileSync(path);
    const starts = chunkStarts(path);
    expect(starts).toHaveLength(6);
    const chunk = (i: number) => bytes.subarray(starts[i]!, starts[i + 1] ?? bytes.length);

    const swapped = Buffer.concat([bytes.subarray(0, starts[0]), chunk(1), chunk(0), ...[2, 3, 4, 5].map(chunk)]);
    writeFileSync(join(dir, 'swapped.bin'), swapped);
    expect(await failure(join(dir, 'swapped.bin'))).toBe('файл повреждён: часть 1 не сходится');

    const dropped = Buffer.concat([bytes.subarray(0, starts[0]), chunk(0), ...[2, 3, 4, 5].map(chunk)]);
    writeFileSync(join(dir, 'dropped.bin'), dropped);
    expect(await failure(join(dir, 'dropped.bin'))).toBe('файл повреждён: часть 2 не сходится');

    writeFileSync(join(dir, 'cut.bin'), bytes.subarray(0, starts[5]));
    expect(await failure(join(dir, 'cut.bin'))).toBe('файл повреждён: файл обрывается после части 5');

    writeFileSync(join(dir, 'appended.bin'), Buffer.concat([bytes, Buffer.from('x')]));
    expect(await failure(join(dir, 'appended.bin'))).toBe('файл повреждён: лишние данные после части 6');
  });

  it('tells a wrong passphrase from damage, and a damaged header from both', async () => {
    const path = write('pass.bin', randomBytes(3000));
    const wrongKey = await deriveKey('неправильная фраза', header.kdf);
    expect(await failure(path, wrongKey)).toBe('неверная парольная фраза');
    const bytes = readFileSync(path);
    bytes[30] = bytes[30]! ^ 1;
    writeFileSync(join(dir, 'header.bin'), bytes);
    expect(() => readHeader(join(dir, 'header.bin'))).toThrow('файл повреждён: заголовок');
  });

  it('derives the key with scrypt N = 2^17, r = 8, p = 1 and a random salt per backup; refuses absurd parameters from a header', async () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect([a.name, a.N, a.r, a.p]).toEqual(['scrypt', 2 ** 17, 8, 1]);
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    await expect(deriveKey('x', { ...a, N: 2 ** 30 })).rejects.toThrow('заголовок');
  });
});

describe('format 2 headers', () => {
  it('refuses object paths that leave the archive folder, and lacking key fields, as a damaged header', async () => {
    const { createBackupKey, sealDataKey } = await import('../../main/backup/backup-key');
    const record = await createBackupKey('правильная фраза');
    const sealed = sealDataKey(record.publicKey);
    const v2 = (objects: string[], extra: Record<string, unknown> = {}) => ({
      format: 2 as const,
      appVersion: '0.0.0',
      schemaVersion: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      chunkSize: CHUNK,
      recipient: { fingerprint: record.fingerprint, publicKey: record.publicKey, kdf: record.kdf, wrappedPrivateKey: record.wrappedPrivateKey },
      ephemeralPublicKey: sealed.ephemeralPublicKey,
      wrappedDataKey: sealed.wrappedDataKey,
      objects,
      ...extra,
    });
    const writeV2 = (name: string, h: ReturnType<typeof v2>) => {
      const path = join(dir, name);
      const fd = openSync(path, 'w');
      try {
        const prefix = encodePrefix(h as never, sealed.dataKey);
        const writer = new ChunkWriter(fd, sealed.dataKey, prefix.headerHash, CHUNK);
        writer.writeRaw(prefix.bytes);
        writer.finish();
      } finally {
        closeSync(fd);
      }
      return path;
    };
    expect(readHeader(writeV2('good.bin', v2(['archive/2025-2026/a.pdf.sobak']))).header).toMatchObject({ format: 2, objects: ['archive/2025-2026/a.pdf.sobak'] });
    for (const bad of ['../x.sobak', 'archive/../../x.sobak', '/etc/x.sobak', 'archive/a.pdf', 'archive//a.sobak']) {
      expect(() => readHeader(writeV2('bad.bin', v2([bad]))), bad).toThrow('файл повреждён: заголовок');
    }
    expect(() => readHeader(writeV2('nokey.bin', v2([], { wrappedDataKey: '' })))).toThrow('файл повреждён: заголовок');
  });
});
