import JSZip from 'jszip';

import { folderPackageProblem, packedFolderName, packedFolderProblem } from '../../common/exchange/folder-package';

/**
 * A КИАСУО package chosen as a folder (`<input webkitdirectory>`), packed into a ZIP here by the
 * rules of common/exchange/folder-package.ts; the main process checks the ZIP again when it reads it.
 */

export class FolderRefusal extends Error {}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(text);
}

/** `<folder>.zip` and its base64; throws FolderRefusal with a Russian message. */
export async function packFolderFiles(files: readonly File[]): Promise<{ name: string; base64: string }> {
  if (files.length === 0) throw new FolderRefusal('В выбранной папке нет файлов: выберите папку пакета КИАСУО с файлами .json.');
  const folder = (files[0]!.webkitRelativePath || files[0]!.name).split('/')[0] || 'пакет';
  // The browser lists the files of nested folders too, as «папка/вложенная/файл»: the name inside the folder keeps its «/».
  const inside = (file: File) => (file.webkitRelativePath || file.name).split('/').slice(1).join('/') || file.name;
  const problem = folderPackageProblem(folder, files.map((file) => ({ name: inside(file), kind: 'file', bytes: file.size })));
  if (problem) throw new FolderRefusal(problem);
  const zip = new JSZip();
  for (const file of files) zip.file(file.name, await file.arrayBuffer());
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  const tooBig = packedFolderProblem(folder, bytes.length);
  if (tooBig) throw new FolderRefusal(tooBig);
  return { name: packedFolderName(folder), base64: toBase64(bytes) };
}
