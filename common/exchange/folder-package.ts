import { MAX_ENTRIES, MAX_INPUT_BYTES, MAX_TOTAL_UNCOMPRESSED_BYTES, formatMegabytes } from './limits';

/**
 * The rules of a КИАСУО package given as a folder (formats.md: «a ZIP of JSON files, or a
 * folder»), shared by the CLI (main/exchange/read/folder-zip.ts, which reads the disk) and the
 * window (renderer/src/folder-package.ts, which gets the files the user picked). The folder is
 * packed into a ZIP that travels through `exchange.import` like kiasuo.zip.
 *
 * Stricter than the package reader: the user pointed at this folder on purpose, so anything in it
 * that is not a plain *.json file lying directly in it (a nested folder, a link, a stray document)
 * refuses the whole folder with its name, instead of being quietly left out.
 */

export type FolderEntryKind = 'file' | 'folder' | 'link' | 'other';

export interface FolderEntry {
  /** The name inside the folder; a path with «/» is inside a nested folder. */
  name: string;
  kind: FolderEntryKind;
  bytes: number;
}

const ONLY_JSON = 'В пакете КИАСУО допускаются только файлы .json прямо в папке: уберите лишнее или укажите ZIP-архив пакета.';

/** Why the folder cannot be a package (in Russian, naming the folder and the entry), or null. */
export function folderPackageProblem(folder: string, entries: readonly FolderEntry[]): string | null {
  const where = `Папка «${folder}»`;
  if (entries.length === 0) return `${where} пуста: в ней нет ни одного файла .json — это не пакет КИАСУО.`;
  if (entries.length > MAX_ENTRIES) return `${where} отклонена: файлов в ней — ${entries.length}, а допустимо не больше ${MAX_ENTRIES}.`;
  let total = 0;
  for (const entry of entries) {
    if (entry.kind === 'folder') return `${where}: «${entry.name}» — вложенная папка. ${ONLY_JSON}`;
    if (entry.name.includes('/')) return `${where}: «${entry.name}» лежит во вложенной папке. ${ONLY_JSON}`;
    if (entry.kind === 'link') return `${where}: «${entry.name}» — символическая ссылка. Положите в папку сам файл.`;
    if (entry.kind !== 'file') return `${where}: «${entry.name}» — не обычный файл. ${ONLY_JSON}`;
    if (!entry.name.toLowerCase().endsWith('.json')) return `${where}: файл «${entry.name}» — не JSON. ${ONLY_JSON}`;
    total += entry.bytes;
    if (total > MAX_TOTAL_UNCOMPRESSED_BYTES) {
      return `${where} отклонена: файлы .json в ней занимают больше ${formatMegabytes(MAX_TOTAL_UNCOMPRESSED_BYTES)}. Проверьте, тот ли это пакет КИАСУО.`;
    }
  }
  return null;
}

/** Why the packed ZIP is too big to send (even compressed), or null. */
export function packedFolderProblem(folder: string, zipBytes: number): string | null {
  return zipBytes > MAX_INPUT_BYTES
    ? `Папка «${folder}» отклонена: даже сжатые, её файлы занимают больше ${formatMegabytes(MAX_INPUT_BYTES)}. Разделите пакет КИАСУО на части.`
    : null;
}

/** The ZIP's name in the import report: «<folder>.zip». */
export const packedFolderName = (folder: string) => `${folder}.zip`;
