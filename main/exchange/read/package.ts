import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApiError } from '../../../common/api/errors';
import { firstInvalidUtf8, lineOfOffset } from './encoding';
import { JsonSyntaxProblem, parseLosslessJson } from './json';
import { MAX_ENTRIES, MAX_TOTAL_UNCOMPRESSED_BYTES, formatMegabytes } from '../../../common/exchange/limits';
import type { PackageContents, PackageInput, PackageWarning } from './types';
import { readRegularFile } from './regular-file';
import { ZipRefusal, walkZip } from './zip';

/**
 * A КИАСУО package — JSON files in a ZIP or in a folder — read under the same limits as any
 * archive. Only *.json files are read; anything else is reported as a warning and left alone.
 */

const isJsonName = (path: string) => path.toLowerCase().endsWith('.json');

/** Files an archiver adds by itself (macOS resource forks, Finder and Explorer metadata). */
function isSystemJunk(path: string): boolean {
  const name = path.split('/').pop() ?? path;
  return path.startsWith('__MACOSX/') || name.startsWith('._') || name === '.DS_Store' || name.toLowerCase() === 'thumbs.db';
}

function parseEntry(where: string, entry: string, bytes: Buffer): unknown {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    throw new ApiError('refused', `${where}: файл «${entry}» не в кодировке UTF-8 (неверные байты в строке ${lineOfOffset(bytes, bad)}).`);
  }
  try {
    return parseLosslessJson(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof JsonSyntaxProblem) throw new ApiError('refused', `${where}: файл «${entry}» — не JSON: ${error.where}.`);
    throw error;
  }
}

/**
 * A ZIP made by «compress this folder» puts everything under one top folder; entries are named
 * without it, so a zipped folder and the folder itself give the same names.
 */
function withoutCommonFolder(paths: string[]): Map<string, string> {
  const firstParts = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/') + 1) : '')));
  const [only] = [...firstParts];
  const prefix = firstParts.size === 1 && only ? only : '';
  return new Map(paths.map((p) => [p, p.slice(prefix.length)]));
}

async function readZipPackage(zip: Buffer, name: string): Promise<PackageContents> {
  const warnings: PackageWarning[] = [];
  let kept: Map<string, Buffer>;
  try {
    const contents = await walkZip(zip, (path) => (isJsonName(path) && !isSystemJunk(path) ? 'keep' : 'skip'));
    kept = contents.kept;
    for (const { path } of contents.entries) {
      if (isSystemJunk(path)) warnings.push({ entry: path, reason: 'служебный файл архиватора — пропущен' });
      else if (!isJsonName(path)) warnings.push({ entry: path, reason: 'не JSON-файл — пропущен' });
    }
  } catch (error) {
    if (!(error instanceof ZipRefusal)) throw error;
    if (error.kind === 'hostile') throw new ApiError('refused', `Архив «${name}» отклонён: ${error.reason}.`);
    throw new ApiError('refused', `Файл «${name}» не читается как ZIP-архив: ${error.reason}.`);
  }
  if (kept.size === 0) throw new ApiError('refused', `В архиве «${name}» нет ни одного файла .json — это не пакет КИАСУО.`);
  const names = withoutCommonFolder([...kept.keys()]);
  const entries = new Map<string, unknown>();
  for (const path of [...kept.keys()].sort()) {
    entries.set(names.get(path)!, parseEntry(`Архив «${name}»`, path, kept.get(path)!));
  }
  return { entries, warnings };
}

async function readFolderPackage(folder: string): Promise<PackageContents> {
  const name = basename(folder) || folder;
  const where = `Папка «${name}»`;
  const info = await lstat(folder).catch(() => null);
  if (!info) throw new ApiError('refused', `Папка «${name}» не найдена.`);
  if (!info.isDirectory()) throw new ApiError('refused', `«${name}» — не папка: укажите папку с файлами .json пакета КИАСУО или ZIP-архив.`);
  const dirents = await readdir(folder, { withFileTypes: true });
  if (dirents.length > MAX_ENTRIES) throw new ApiError('refused', `${where} отклонена: файлов в ней — ${dirents.length}, а допустимо не больше ${MAX_ENTRIES}.`);

  const warnings: PackageWarning[] = [];
  const entries = new Map<string, unknown>();
  let total = 0;
  for (const dirent of [...dirents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entry = dirent.name;
    if (dirent.isDirectory()) {
      warnings.push({ entry, reason: 'вложенная папка — не читается' });
      continue;
    }
    if (!isJsonName(entry) || isSystemJunk(entry)) {
      warnings.push({ entry, reason: isSystemJunk(entry) ? 'служебный файл — пропущен' : 'не JSON-файл — пропущен' });
      continue;
    }
    // A link could point anywhere on the computer; only files really in the folder are read.
    if (dirent.isSymbolicLink()) throw new ApiError('refused', `${where}: «${entry}» — символическая ссылка, такие файлы не читаются. Положите в папку сам файл.`);
    if (!dirent.isFile()) {
      warnings.push({ entry, reason: 'не обычный файл — пропущен' });
      continue;
    }
    const bytes = await readRegularFile(join(folder, entry), where, entry, (size) => {
      total += size;
      if (total > MAX_TOTAL_UNCOMPRESSED_BYTES) {
        throw new ApiError('refused', `${where} отклонена: файлы .json в ней занимают больше ${formatMegabytes(MAX_TOTAL_UNCOMPRESSED_BYTES)}.`);
      }
    });
    entries.set(entry, parseEntry(where, entry, bytes));
  }
  if (entries.size === 0) throw new ApiError('refused', `${where}: в ней нет ни одного файла .json — это не пакет КИАСУО.`);
  return { entries, warnings };
}

/** The package with what was skipped; entries are named by their path inside the ZIP or the folder. */
export async function readPackageContents(input: PackageInput): Promise<PackageContents> {
  if ('zip' in input) return readZipPackage(input.zip, input.name ?? 'пакет.zip');
  return readFolderPackage(input.folder);
}

/** JSON files of a КИАСУО package (ZIP or folder), parsed without losing the digits of long ids. */
export async function readPackage(input: PackageInput): Promise<Map<string, unknown>> {
  return (await readPackageContents(input)).entries;
}
