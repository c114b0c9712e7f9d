import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { syncFolder } from '../../db/durable-file';
import { BACKUP_EXTENSION, readHeader } from './format';
import { asidePath } from './objects';
import { backupsToKeep, type RotationPolicy } from './rotation';

export type { RotationPolicy } from './rotation';

/** Backup file names (the same pattern as run.ts; repeated here to keep the modules acyclic). */
const BACKUP_NAME = /^school-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.sobak$/;

/**
 * Rotation of one target after a successful write: the backups the policy does not keep
 * (rotation.ts) are deleted — never the one just written — and then the archive objects no kept
 * backup lists in its header (read without the passphrase; format-1 files list none). When some
 * backup's header does not read, no object is deleted: it might be one of its. An unlisted
 * object younger than a day is left too: another run (the CLI beside the app) may have just
 * written it for a backup it has not renamed into place yet.
 * Returns how many files were removed.
 */
export function rotateTarget(target: string, justWritten: string, policy: RotationPolicy, now: Date): number {
  const listed: { name: string; createdAt: string; objects: string[] | null }[] = [];
  for (const name of readdirSync(target).filter((n) => BACKUP_NAME.test(n))) {
    try {
      const { header } = readHeader(join(target, name));
      // A backup needs its objects, or their copies kept aside after a key replacement (objects.ts).
      const objects = header.format === 2 ? header.objects.flatMap((o) => [o, asidePath(o, header.recipient.fingerprint)]) : [];
      listed.push({ name, createdAt: header.createdAt, objects });
    } catch {
      // Unreadable: kept (rotation never deletes what it cannot date), and its objects unknown.
      listed.push({ name, createdAt: '', objects: null });
    }
  }
  const keep = backupsToKeep(listed, policy, now);
  keep.add(justWritten);
  let removed = 0;
  for (const backup of listed) {
    if (keep.has(backup.name)) continue;
    rmSync(join(target, backup.name), { force: true });
    removed += 1;
  }
  if (removed > 0) syncFolder(target);
  const kept = listed.filter((b) => keep.has(b.name));
  if (kept.some((b) => b.objects === null)) return removed;
  const needed = new Set(kept.flatMap((b) => b.objects ?? []));
  return removed + removeUnusedObjects(target, join(target, 'archive'), needed, now);
}

const GRACE_MS = 24 * 60 * 60 * 1000;

function removeUnusedObjects(target: string, folder: string, needed: ReadonlySet<string>, now: Date): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  let here = 0;
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) removed += removeUnusedObjects(target, path, needed, now);
    else if (entry.isFile() && entry.name.endsWith(BACKUP_EXTENSION) && !entry.name.startsWith('.') && !needed.has(relative(target, path).split(sep).join('/')) && now.getTime() - statSync(path).mtimeMs > GRACE_MS) {
      rmSync(path, { force: true });
      here += 1;
    }
  }
  if (here > 0) syncFolder(folder);
  return removed + here;
}
