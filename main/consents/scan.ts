import { SCAN_MAX_BYTES, SCAN_MIME_TYPES } from '../../common/api/consents';
import { ApiError } from '../../common/api/errors';

/**
 * A scan of a signed consent: PDF, JPEG or PNG, at most SCAN_MAX_BYTES. The declared type is
 * checked against the file's first bytes, so a renamed document or an executable is not stored
 * as "a scan" and later opened by the viewer.
 */

type ScanMime = (typeof SCAN_MIME_TYPES)[number];

const MAGIC: Record<ScanMime, readonly number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

const KIND_LABEL: Record<ScanMime, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

export interface CheckedScan {
  bytes: Buffer;
  mime: ScanMime;
  fileName: string;
}

/** Decodes and checks a scan; refuses with a Russian message naming the field «Скан». */
export function checkScan(scan: { fileName: string; mime: string; contentBase64: string }): CheckedScan {
  const mime = scan.mime as ScanMime;
  if (!SCAN_MIME_TYPES.includes(mime)) {
    throw new ApiError('invalid_params', 'Скан: допускаются только PDF, JPEG или PNG.', { scan: 'тип файла не PDF, JPEG или PNG' });
  }
  const clean = scan.contentBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new ApiError('invalid_params', 'Скан: содержимое файла повреждено (не base64).', { scan: 'файл повреждён' });
  }
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length === 0) throw new ApiError('invalid_params', 'Скан: файл пустой.', { scan: 'файл пустой' });
  if (bytes.length > SCAN_MAX_BYTES) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(2).replace('.', ',');
    throw new ApiError('invalid_params', `Скан: файл больше ${SCAN_MAX_BYTES / 1024 / 1024} МБ (${mb(bytes.length)} МБ). Отсканируйте с меньшим разрешением.`, {
      scan: 'файл слишком большой',
    });
  }
  if (!startsWith(bytes, MAGIC[mime])) {
    throw new ApiError('invalid_params', `Скан: файл не является ${KIND_LABEL[mime]}, хотя назван так. Приложите скан в формате PDF, JPEG или PNG.`, {
      scan: 'содержимое не совпадает с типом файла',
    });
  }
  return { bytes, mime, fileName: scan.fileName.replace(/[\\/]/g, '_') };
}
