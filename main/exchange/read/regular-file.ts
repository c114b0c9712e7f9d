import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ApiError } from '../../../common/api/errors';

/**
 * Reads a file of a folder the user pointed at (a КИАСУО package folder), safely against the
 * folder changing under the reader: O_NOFOLLOW closes the gap between the listing and the open
 * (the file swapped for a link), O_NONBLOCK keeps a pipe swapped in from hanging the open (the
 * stat then refuses it), and exactly the size checked is read, even if the file grows meanwhile.
 *
 * `checkSize` sees the size before anything is read and may refuse (a total over the limit).
 */
export async function readRegularFile(path: string, where: string, entry: string, checkSize: (bytes: number) => void = () => undefined): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!handle) throw new ApiError('refused', `${where}: файл «${entry}» не открывается. Проверьте права на файл или уберите его из папки.`);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ApiError('refused', `${where}: «${entry}» — не обычный файл. Оставьте в папке только файлы .json.`);
    checkSize(stat.size);
    const bytes = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
