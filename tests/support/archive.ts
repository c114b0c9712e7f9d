import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { expect } from 'vitest';
import { realArchivePrinter, useArchivePrinter } from '../../main/archive/printer';
import type { App } from '../../main/app';
import type { CliResult } from './cli';

/** Shared set-up of the archive register's tests, through the API and through the command line. */

/**
 * Loads the real document but prints a small 3-page PDF with its title instead of the whole
 * volume: tests of the register's rules need no Chromium. Returns the function that puts the
 * real printer back.
 */
export function useQuickArchivePrinter(): () => void {
  return useArchivePrinter({
    loadSource: realArchivePrinter.loadSource,
    async printVolume(source, options) {
      const pdf = await PDFDocument.create();
      pdf.setTitle(source.meta.title);
      for (let i = 0; i < 3; i += 1) pdf.addPage();
      const bytes = Buffer.from(await pdf.save());
      writeFileSync(options.outFile, bytes);
      return { pages: 3, sheets: options.duplex ? 2 : 3, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    },
  });
}

/** Writes `bytes` over a sealed (read-only) copy in place and makes it read-only again. */
export function overwriteSealed(path: string, bytes: Buffer): void {
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, 0o444);
}

/** The `--json` output of a command that must have succeeded. */
export function cliJson<T>(result: CliResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Sets a setting straight in the database file, as the window's «Настройки» would. */
export function writeSetting(dbPath: string, key: string, value: unknown): void {
  const raw = new BetterSqlite3(dbPath);
  try {
    raw.prepare('insert into setting (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value').run(key, JSON.stringify(value), new Date().toISOString());
  } finally {
    raw.close();
  }
}

/**
 * Runs `work` while a volume's signature in the register is forged (one bit flipped). The
 * immutability trigger protects the row, so the trigger is dropped first, as a forger working on
 * the file would; the true signature is put back afterwards (the trigger stays dropped).
 */
export async function withForgedSignature(app: App, volumeId: number, work: () => Promise<void>): Promise<void> {
  app.opened.raw.exec('drop trigger if exists archive_volume_immutable');
  const row = await app.db.selectFrom('archive_volume').select('signature').where('id', '=', volumeId).executeTakeFirstOrThrow();
  const forged = Buffer.from(row.signature, 'base64');
  forged.writeUInt8(forged.readUInt8(0) ^ 0xff, 0);
  await app.db.updateTable('archive_volume').set({ signature: forged.toString('base64') }).where('id', '=', volumeId).execute();
  try {
    await work();
  } finally {
    await app.db.updateTable('archive_volume').set({ signature: row.signature }).where('id', '=', volumeId).execute();
  }
}
