import { useCallback, useEffect, useRef } from 'react';

/** Files crossing the API as base64: reading a chosen file, and offering a received one. */

/** The content of a chosen file as base64 (without the `data:` prefix). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error('Не удалось прочитать файл.'));
    reader.readAsDataURL(file);
  });
}

/** An object URL of a file sent as base64 (revoke it when done). */
export function blobUrl(base64: string, mime: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: mime }));
}

/**
 * Makes object URLs for received files, one at a time: the previous one is revoked when a new
 * one is made and the last one when the component goes away, so repeated prints do not pile up.
 */
export function useObjectUrl(): (base64: string, mime: string) => string {
  const current = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (current.current) URL.revokeObjectURL(current.current);
    },
    [],
  );
  return useCallback((base64: string, mime: string) => {
    if (current.current) URL.revokeObjectURL(current.current);
    current.current = blobUrl(base64, mime);
    return current.current;
  }, []);
}
