import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import JSZip from 'jszip';
import { ApiError } from '../../../common/api/errors';
import { folderPackageProblem, packedFolderName, packedFolderProblem, type FolderEntry } from '../../../common/exchange/folder-package';
import { readRegularFile } from './regular-file';
import { MAX_ENTRIES, MAX_TOTAL_UNCOMPRESSED_BYTES, formatMegabytes } from '../../../common/exchange/limits';

/**
 * A КИАСУО package given as a folder on disk (the CLI), packed into a ZIP in memory by the rules
 * of common/exchange/folder-package.ts, reading no file before every name and size has passed.
 */

export interface PackedFolder {
  /** `<folder>.zip` — the name the import report shows. */
  fileName: string;
  bytes: Buffer;
  files: number;
}

const refuse = (message: string) => new ApiError('refused', message);

/** The folder's *.json files as one ZIP; refuses (ApiError 'refused', in Russian) before reading anything big. */
export async function packJsonFolder(folder: string): Promise<PackedFolder> {
  const name = basename(folder) || folder;
  const where = `Папка «${name}»`;
  const info = await lstat(folder).catch(() => null);
  if (!info) throw refuse(`${where} не найдена.`);
  if (!info.isDirectory()) throw refuse(`«${name}» — не папка.`);
  const dirents = await readdir(folder, { withFileTypes: true }).catch(() => null);
  if (!dirents) throw refuse(`${where} не читается: проверьте права на неё.`);
  // Every name and size is checked before any file is read: a refusal costs nothing.
  const sorted = [...dirents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Sizes are looked up only for a folder the count alone does not refuse.
  const sized = sorted.length <= MAX_ENTRIES;
  const entries: FolderEntry[] = [];
  for (const dirent of sorted) {
    const kind = dirent.isDirectory() ? 'folder' : dirent.isSymbolicLink() ? 'link' : dirent.isFile() ? 'file' : 'other';
    entries.push({ name: dirent.name, kind, bytes: sized && kind === 'file' ? (await lstat(join(folder, dirent.name))).size : 0 });
  }
  const problem = folderPackageProblem(name, entries);
  if (problem) throw refuse(problem);

  const zip = new JSZip();
  let read = 0;
  for (const dirent of sorted) {
    const bytes = await readRegularFile(join(folder, dirent.name), where, dirent.name);
    // A file that grew after the check above does not get past the limit either.
    read += bytes.length;
    if (read > MAX_TOTAL_UNCOMPRESSED_BYTES) {
      throw refuse(`${where} отклонена: файлы .json в ней занимают больше ${formatMegabytes(MAX_TOTAL_UNCOMPRESSED_BYTES)}.`);
    }
    zip.file(dirent.name, bytes);
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  const tooBig = packedFolderProblem(name, bytes.length);
  if (tooBig) throw refuse(tooBig);
  return { fileName: packedFolderName(name), bytes, files: sorted.length };
}
