import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Every data table of the register, dumped in a stable order: for tests that must show a call
 * changed nothing, or that an undo restored the exact earlier state. The audit log (every call
 * appends to it) and sqlite_sequence (AUTOINCREMENT's high-water marks, never rolled back by a
 * delete) are not data.
 */
export const NOT_DATA = new Set(['audit_log', 'sqlite_sequence']);

export function dataTableNames(raw: BetterSqlite3.Database): string[] {
  return (raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !NOT_DATA.has(name));
}

/** Table → its rows, sorted by their JSON text (independent of insertion order); `except` tables left out. */
export function dumpDataTables(raw: BetterSqlite3.Database, except: readonly string[] = []): Record<string, string[]> {
  const dump: Record<string, string[]> = {};
  for (const name of dataTableNames(raw).filter((n) => !except.includes(n))) {
    const rows = raw.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
    dump[name] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).sort();
  }
  return dump;
}

/** Row counts per table and one digest of all rows: cheap to compare before and after a call. */
export function dataDigest(raw: BetterSqlite3.Database, except: readonly string[] = []): { counts: Record<string, number>; sha256: string } {
  const dump = dumpDataTables(raw, except);
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const [name, rows] of Object.entries(dump)) {
    counts[name] = rows.length;
    hash.update(`${name}\n${rows.join('\n')}\n`);
  }
  return { counts, sha256: hash.digest('hex') };
}
