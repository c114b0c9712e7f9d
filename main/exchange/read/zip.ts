import yauzl from 'yauzl';
import { MAX_COMPRESSION_RATIO, MAX_ENTRIES, MAX_INPUT_BYTES, MAX_TOTAL_UNCOMPRESSED_BYTES, formatMegabytes, ratioExceeded } from '../../../common/exchange/limits';

/**
 * Walks a ZIP held in memory without trusting it: the central directory is checked against the
 * limits before anything is inflated, and then every inflated byte is counted as it streams, so a
 * «zip bomb» is stopped after at most the allowed amount, whatever its headers declare. Callers
 * turn a ZipRefusal into their own user-facing message (an XLSX and a package word it differently).
 */

export type ZipRefusalKind =
  /** Not a ZIP at all, or cut short, or its structure is broken. */
  | 'unreadable'
  /** Over a limit, a lying size, an unsafe path, encryption: refused on purpose. */
  | 'hostile';

export class ZipRefusal extends Error {
  readonly kind: ZipRefusalKind;
  /** Russian, lower-case, without a final period: «архив повреждён или обрезан». */
  readonly reason: string;
  constructor(kind: ZipRefusalKind, reason: string) {
    super(reason);
    this.name = 'ZipRefusal';
    this.kind = kind;
    this.reason = reason;
  }
}

export interface ZipEntryInfo {
  /** The path as stored in the archive (already checked to be safe). */
  path: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** What to do with an entry's data: keep its bytes, inflate and count them only, or not touch them. */
export type EntryUse = 'keep' | 'count' | 'skip';

export interface ZipContents {
  /** Every file entry (directories left out), in archive order. */
  entries: ZipEntryInfo[];
  /** The bytes of the entries marked 'keep'. */
  kept: Map<string, Buffer>;
}

/** Why a path inside an archive is unsafe to use as a name, or null when it is fine. */
export function unsafeEntryPath(path: string): string | null {
  if (path === '') return 'пустое имя';
  if (path.includes('\\')) return 'обратная косая черта в пути';
  if (path.startsWith('/')) return 'абсолютный путь';
  if (/^[A-Za-z]:/.test(path)) return 'путь с буквой диска';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f]/.test(path)) return 'управляющие символы в имени';
  if (path.split('/').some((part) => part === '..')) return 'выход за пределы архива («..»)';
  return null;
}

const isDirectory = (path: string) => path.endsWith('/');

function describeYauzlError(error: unknown): ZipRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (/too many bytes/i.test(message)) {
    return new ZipRefusal('hostile', 'данных внутри больше, чем указано в самом архиве (архив подделан — похоже на «zip-бомбу»)');
  }
  if (/too few bytes|size mismatch/i.test(message)) {
    return new ZipRefusal('hostile', 'размер распакованных данных не совпадает с указанным в архиве (архив подделан или повреждён)');
  }
  if (/strong encryption/i.test(message)) return new ZipRefusal('hostile', 'архив зашифрован паролем');
  if (/end of central directory record signature not found/i.test(message)) {
    return new ZipRefusal('unreadable', 'это не ZIP-архив, или файл обрезан (не докачан, не дописан)');
  }
  if (/invalid (code|distance|block|stored)|unexpected end|incorrect header check|invalid literal/i.test(message)) {
    return new ZipRefusal('unreadable', 'сжатые данные внутри архива повреждены');
  }
  return new ZipRefusal('unreadable', 'структура ZIP-архива повреждена или файл обрезан');
}

/** The name exactly as stored: yauzl's own decoding would silently turn `\` into `/`. */
function rawPath(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

function checkDeclared(entries: yauzl.Entry[], paths: string[]): void {
  let declaredTotal = 0;
  entries.forEach((entry, i) => {
    const path = paths[i]!;
    if (entry.isEncrypted()) throw new ZipRefusal('hostile', `запись «${path}» зашифрована паролем`);
    if (!isDirectory(path) && !entry.canDecodeFileData()) {
      throw new ZipRefusal('unreadable', `запись «${path}» сжата неподдерживаемым способом (№ ${entry.compressionMethod})`);
    }
    if (ratioExceeded(entry.compressedSize, entry.uncompressedSize)) {
      throw new ZipRefusal('hostile', `запись «${path}» распаковывается более чем в ${MAX_COMPRESSION_RATIO} раз (похоже на «zip-бомбу»)`);
    }
    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > MAX_TOTAL_UNCOMPRESSED_BYTES) {
      throw new ZipRefusal('hostile', `после распаковки архив занял бы больше ${formatMegabytes(MAX_TOTAL_UNCOMPRESSED_BYTES)} (похоже на «zip-бомбу»)`);
    }
  });
}

/**
 * Reads the central directory, checks it, then inflates the entries `use` asks for one at a time,
 * counting real bytes against the limits (declared sizes are never trusted on their own).
 */
export async function walkZip(bytes: Buffer, use: (path: string) => EntryUse): Promise<ZipContents> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ZipRefusal('hostile', `файл больше ${formatMegabytes(MAX_INPUT_BYTES)} (${formatMegabytes(bytes.length)})`);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    throw describeYauzlError(error);
  }
  if (zip.entryCount > MAX_ENTRIES) {
    throw new ZipRefusal('hostile', `записей в архиве — ${zip.entryCount}, а допустимо не больше ${MAX_ENTRIES}`);
  }

  const all: yauzl.Entry[] = [];
  const paths: string[] = [];
  const seen = new Set<string>();
  try {
    for await (const entry of zip.eachEntry()) {
      const path = rawPath(entry);
      const unsafe = unsafeEntryPath(path);
      if (unsafe) throw new ZipRefusal('hostile', `недопустимое имя записи «${path}»: ${unsafe}`);
      if (seen.has(path)) throw new ZipRefusal('hostile', `запись «${path}» встречается в архиве дважды`);
      seen.add(path);
      all.push(entry);
      paths.push(path);
    }
  } catch (error) {
    throw error instanceof ZipRefusal ? error : describeYauzlError(error);
  }
  checkDeclared(all, paths);

  const contents: ZipContents = { entries: [], kept: new Map() };
  let inflatedTotal = 0;
  for (let i = 0; i < all.length; i += 1) {
    const entry = all[i]!;
    const path = paths[i]!;
    if (isDirectory(path)) continue;
    contents.entries.push({ path, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
    const how = use(path);
    if (how === 'skip') continue;
    const chunks: Buffer[] = [];
    let inflated = 0;
    try {
      const stream = await zip.openReadStreamPromise(entry);
      // Leaving the loop by a throw destroys the stream, so nothing more is inflated.
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        inflatedTotal += chunk.length;
        if (inflatedTotal > MAX_TOTAL_UNCOMPRESSED_BYTES) {
          throw new ZipRefusal('hostile', `после распаковки архив занимает больше ${formatMegabytes(MAX_TOTAL_UNCOMPRESSED_BYTES)} (похоже на «zip-бомбу»)`);
        }
        if (ratioExceeded(entry.compressedSize, inflated)) {
          throw new ZipRefusal('hostile', `запись «${path}» распаковывается более чем в ${MAX_COMPRESSION_RATIO} раз (похоже на «zip-бомбу»)`);
        }
        if (how === 'keep') chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof ZipRefusal ? error : describeYauzlError(error);
    }
    if (how === 'keep') contents.kept.set(path, Buffer.concat(chunks, inflated));
  }
  return contents;
}
