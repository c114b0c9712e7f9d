import { useState } from 'react';
import { CONSENT_STATUS_LABELS, type ConsentStatus } from '../../../../common/api/consents';
import { ErrorNotice } from '../../components/ui';
import { useObjectUrl } from '../../files';

export { readBase64 } from '../../files';
export { TextAreaField } from '../../components/ui';

/** The status of a subject's consent as the screen says it; no decision at all is «нет». */
export function statusLabel(status: ConsentStatus | null): string {
  return status ? CONSENT_STATUS_LABELS[status] : 'нет';
}

/** A CSS class per status, so a refusal or a missing consent stands out in long tables. */
export function statusClass(status: ConsentStatus | null): string {
  return `consent-status consent-status-${status ?? 'none'}`;
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
  const objectUrl = useObjectUrl();
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const fetched = await fetch();
      const url = objectUrl(fetched.contentBase64, fetched.mime);
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
