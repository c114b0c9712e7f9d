import { closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeAll, type ByteSink } from './format';

/**
 * Where the encrypted bytes go. A backup is encrypted once and the same bytes are written to
 * every target still alive (MultiSink): a target that fails mid-write (full, removed) drops out
 * with its error and the others go on. Files are opened exclusively (`wx`, owner-only) and
 * fsynced before they are renamed into place by the caller.
 */

export interface FileSink extends ByteSink {
  /** fsync and close: the bytes are on the medium. */
  finish(): void;
  /** close without caring (after a failure); never throws. */
  abandon(): void;
}

export type OpenSink = (path: string) => FileSink;

export function openFileSink(path: string): FileSink {
  const fd = openSync(path, 'wx', 0o600);
  let open = true;
  return {
    write: (bytes) => writeAll(fd, bytes),
    finish: () => {
      try {
        fsyncSync(fd);
      } finally {
        open = false;
        closeSync(fd);
      }
    },
    abandon: () => {
      if (!open) return;
      open = false;
      try {
        closeSync(fd);
      } catch {
        // Already unusable (the medium is gone): nothing more to do.
      }
    },
  };
}

/**
 * Test hook (fault tests through the built CLI): SCHOOL_OFFICE_TEST_BACKUP_FAULT =
 * `<folder>|<code>|<bytes>` makes every file written directly in that folder fail with that error code
 * (ENOSPC, EIO) after that many bytes, as a full or removed medium does; `FLIP` instead stores the
 * byte at that offset wrong, silently.
 */
export function faultySink(inner: FileSink, code: string, afterBytes: number): FileSink {
  let written = 0;
  if (code === 'FLIP') {
    // A medium that silently stores one byte wrong (a failing flash drive): no error at all.
    return {
      ...inner,
      write(bytes) {
        const at = afterBytes - written;
        written += bytes.length;
        if (at < 0 || at >= bytes.length) return inner.write(bytes);
        const copy = Buffer.from(bytes);
        copy[at] = copy[at]! ^ 0x01;
        inner.write(copy);
      },
    };
  }
  return {
    ...inner,
    write(bytes) {
      if (written + bytes.length > afterBytes) {
        const fits = Math.max(0, afterBytes - written);
        if (fits > 0) inner.write(bytes.subarray(0, fits));
        written += fits;
        throw Object.assign(new Error(`${code}: test fault`), { code });
      }
      inner.write(bytes);
      written += bytes.length;
    },
  };
}

export const openTargetSink: OpenSink = (path) => {
  const sink = openFileSink(path);
  const fault = process.env.SCHOOL_OFFICE_TEST_BACKUP_FAULT;
  if (!fault) return sink;
  const [folder, code, bytes] = fault.split('|');
  if (!folder || !code || dirname(resolve(path)) !== resolve(folder)) return sink;
  return faultySink(sink, code, Number(bytes ?? '0'));
};

/** Every target's writes failed: nothing left to write to. */
export class NoTargetLeft extends Error {
  constructor() {
    super('no target left');
  }
}

/** The same bytes into several files; a member that fails is dropped with its error. */
export class MultiSink implements ByteSink {
  readonly failures = new Map<string, unknown>();

  constructor(private readonly members: Map<string, FileSink>) {}

  alive(): string[] {
    return [...this.members.keys()].filter((id) => !this.failures.has(id));
  }

  write(bytes: Buffer): void {
    for (const [id, sink] of this.members) {
      if (this.failures.has(id)) continue;
      try {
        sink.write(bytes);
      } catch (error) {
        this.failures.set(id, error);
        sink.abandon();
      }
    }
    if (this.alive().length === 0) throw new NoTargetLeft();
  }

  /** fsync and close the members still alive; one that fails to flush drops out. */
  finish(): void {
    for (const [id, sink] of this.members) {
      if (this.failures.has(id)) continue;
      try {
        sink.finish();
      } catch (error) {
        this.failures.set(id, error);
        sink.abandon();
      }
    }
  }

  abandonAll(): void {
    for (const sink of this.members.values()) sink.abandon();
  }
}
