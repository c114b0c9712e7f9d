import { useEffect, useId, useRef, useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { CONSENT_STATUS_LABELS, type ConsentStatus } from '../../../../common/api/consents';
import { ErrorNotice } from '../../components/ui';

/** The status of a subject's consent as the screen says it; no decision at all is «нет». */
export function statusLabel(status: ConsentStatus | null): string {
  return status ? CONSENT_STATUS_LABELS[status] : 'нет';
}

/** A CSS class per status, so a refusal or a missing consent stands out in long tables. */
export function statusClass(status: ConsentStatus | null): string {
  return `consent-status consent-status-${status ?? 'none'}`;
}

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

/** «5 МБ» for a byte count. */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} МБ`.replace('.', ',');
}

export interface FetchedFile {
  fileName: string;
  mime: string;
  contentBase64: string;
}

/**
 * A button that fetches a stored file (a consent scan, an event-log export) only when asked,
 * then offers it to open or save: such files can be large and are rarely needed.
 */
export function FileButton({ label, fileKey, fetch, small = true }: { label: string; fileKey: string; fetch: () => Promise<FetchedFile>; small?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<{ key: string; url: string; fileName: string } | null>(null);
  const urlRef = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    },
    [],
  );
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const fetched = await fetch();
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
      const url = blobUrl(fetched.contentBase64, fetched.mime);
      urlRef.current = url;
      setFile({ key: fileKey, url, fileName: fetched.fileName });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const size = small ? ' btn-small' : '';
  return (
    <span className="print-control">
      {file && file.key === fileKey ? (
        <span className="print-result" role="status">
          <a className={`btn${size}`} href={file.url} target="_blank" rel="noreferrer">
            Открыть
          </a>
          <a className={`btn${size} btn-quiet`} href={file.url} download={file.fileName}>
            Сохранить «{file.fileName}»
          </a>
        </span>
      ) : (
        <button type="button" className={`btn${size}`} onClick={() => void run()} disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Загружаю…' : label}
        </button>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </span>
  );
}

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'> {
  label: string;
  value: string;
  onValue(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  fieldClassName?: string;
}

/** A multi-line field with the same label, hint and error layout as TextField. */
export function TextAreaField({ label, value, onValue, error, hint, fieldClassName, rows = 4, ...rest }: TextAreaFieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${fieldClassName ? ` ${fieldClassName}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        rows={rows}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      {hint && !error ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Lines of a textarea as a list: trimmed, empty lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
