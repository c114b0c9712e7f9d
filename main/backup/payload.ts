import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ChunkWriter } from './format';

/**
 * What is inside the encrypted stream: records one after another, each `nameLen u32 BE, name
 * (UTF-8, «/»-separated), size u64 BE, bytes`. The first record is `manifest.json`; then the
 * database snapshot `school.db`, the signing key files `keys/…` and the sealed archive PDFs
 * `archive/<year>/…` (drafts are not kept: they are reprinted at will). In format 2 the archive
 * PDFs are listed in the manifest with `external: true` and lie beside the backup file as their
 * own encrypted objects (objects.ts): only the manifest, the database and the keys are in the stream.
 */

export const MANIFEST_NAME = 'manifest.json';
export const DATABASE_NAME = 'school.db';

export interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
  /** Not in the stream: an archive object beside the backup file (`<name>.sobak`, format 2). */
  external?: true;
}

export interface Manifest {
  appVersion: string;
  schemaVersion: number;
  createdAt: string;
  /** Rows in the main tables of the snapshot: checked again by the test-restore. */
  counts: Record<string, number>;
  entries: ManifestEntry[];
}

/** A file to put in the payload: its name inside the backup and where it is now. */
export interface PayloadSource {
  name: string;
  path: string;
}

const READ_BLOCK = 1024 * 1024;

/** Streams a file's bytes in blocks (bounded memory). */
export function* fileBlocks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.alloc(READ_BLOCK);
      const n = readSync(fd, buffer, 0, READ_BLOCK, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

export function hashFile(path: string): ManifestEntry['sha256'] {
  const hash = createHash('sha256');
  for (const block of fileBlocks(path)) hash.update(block);
  return hash.digest('hex');
}

/** Every regular file under `root` (recursively) with its «/»-separated name under `prefix`, skipping `skip` folders. */
export function filesUnder(root: string, prefix: string, skip: readonly string[] = []): PayloadSource[] {
  if (!existsSync(root)) return [];
  const out: PayloadSource[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!skip.includes(rel)) walk(path);
      } else if (entry.isFile() && !entry.name.includes('.tmp-')) out.push({ name: `${prefix}/${rel}`, path });
    }
  };
  walk(root);
  return out;
}

export function describeSources(sources: readonly PayloadSource[]): ManifestEntry[] {
  return sources.map((s) => ({ name: s.name, size: statSync(s.path).size, sha256: hashFile(s.path) }));
}

function recordHead(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(4 + nameBytes.length + 8);
  head.writeUInt32BE(nameBytes.length, 0);
  nameBytes.copy(head, 4);
  head.writeBigUInt64BE(BigInt(size), 4 + nameBytes.length);
  return head;
}

/** Writes the manifest and then every source file of the stream (the manifest's entries not `external`, in order; they must still match its sizes). */
export async function writePayload(writer: ChunkWriter, manifest: Manifest, sources: readonly PayloadSource[], checkpoint: (done: number, total: number) => Promise<void>): Promise<void> {
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  writer.write(recordHead(MANIFEST_NAME, manifestBytes.length));
  writer.write(manifestBytes);
  const internal = manifest.entries.filter((e) => !e.external);
  if (internal.length !== sources.length) throw new Error('manifest and sources disagree');
  const total = internal.reduce((sum, e) => sum + e.size, 0);
  let done = 0;
  for (const [i, source] of sources.entries()) {
    const entry = internal[i];
    if (entry?.name !== source.name) throw new Error('manifest and sources disagree');
    writer.write(recordHead(source.name, entry.size));
    let written = 0;
    for (const block of fileBlocks(source.path)) {
      written += block.length;
      if (written > entry.size) break;
      writer.write(block);
      done += block.length;
      await checkpoint(done, total);
    }
    if (written !== entry.size) throw new Error(`файл «${source.name}» изменился во время резервного копирования`);
  }
}

/** Pulls exact byte counts out of a stream of plaintext chunks. */
export class ByteReader {
  private buffered: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  private async fill(min: number): Promise<boolean> {
    while (this.buffered.length < min && !this.done) {
      const next = await this.chunks.next();
      if (next.done) this.done = true;
      else this.buffered = this.buffered.length === 0 ? next.value : Buffer.concat([this.buffered, next.value]);
    }
    return this.buffered.length >= min;
  }

  /** Exactly `n` bytes, or null at the clean end of the stream. Throws when the stream ends mid-record. */
  async take(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.buffered.length === 0 && n > 0) return null;
      throw new Error('short');
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** Up to `max` bytes (at least one), for streaming a large record. */
  async takeSome(max: number): Promise<Buffer> {
    if (!(await this.fill(1))) throw new Error('short');
    const n = Math.min(max, this.buffered.length);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}

/** Reads one record head: its name and size, or null at the end of the payload. */
export async function readRecordHead(reader: ByteReader): Promise<{ name: string; size: number } | null> {
  const lengthBytes = await reader.take(4);
  if (lengthBytes === null) return null;
  const length = lengthBytes.readUInt32BE(0);
  if (length > 4096) throw new Error('bad name');
  const name = (await reader.take(length))?.toString('utf8') ?? '';
  const sizeBytes = await reader.take(8);
  if (sizeBytes === null) throw new Error('short');
  return { name, size: Number(sizeBytes.readBigUInt64BE(0)) };
}
