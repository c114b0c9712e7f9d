import { useCallback, useMemo } from 'react';
import type { VolumeStatus } from '../../../../common/api/archive-contract';
import type { YearSummary } from '../../../../common/api/year-contract';
import { useApi, useLoad } from '../../api/context';
import { blobUrl } from '../../files';
import { countOf } from '../../format';
import type { useJob } from '../../jobs';

/** What the «Печать и архив» panels share: years, hashes, terms, PDFs and job progress. */

export const PDF_MIME = 'application/pdf';

export const STATUS_LABELS: Record<VolumeStatus, string> = {
  sealed: 'сдано',
  replaced: 'заменено',
  destroyed: 'уничтожено',
};

/** The first characters of a SHA-256 (the full value goes into the tooltip and the copy). */
export function shortHash(sha256: string): string {
  return sha256.length > 16 ? `${sha256.slice(0, 12)}…` : sha256;
}

export function yearsText(years: number): string {
  return countOf(years, ['год', 'года', 'лет']);
}

export function sheetsText(sheets: number): string {
  return countOf(sheets, ['лист', 'листа', 'листов']);
}

export function pagesText(pages: number): string {
  return countOf(pages, ['страница', 'страницы', 'страниц']);
}

/** The school years, newest first (the archivist mostly prints the year just ended). */
export function useYears() {
  const api = useApi();
  const loaded = useLoad(() => api.invoke('years.list', {}));
  const years = useMemo<YearSummary[]>(
    () => [...(loaded.data?.years ?? [])].sort((a, b) => b.startsOn.localeCompare(a.startsOn)),
    [loaded.data],
  );
  return { years, error: loaded.error, loading: loaded.loading };
}

/** Offers bytes as a file download (the browser's or Electron's «Сохранить как»). */
export function saveFile(base64: string, fileName: string, mime = PDF_MIME): void {
  const url = blobUrl(base64, mime);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the bytes by the next tick; the URL is not needed after that.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a sealed volume's PDF and offers it to save. */
export function useSaveVolume(): (volumeId: number) => Promise<void> {
  const api = useApi();
  return useCallback(
    async (volumeId: number) => {
      const file = await api.invoke('archive.file', { volumeId });
      saveFile(file.pdfBase64, file.fileName);
    },
    [api],
  );
}

/** A PDF shown inside the window (the built-in viewer of Chromium / Electron). */
export function PdfFrame({ url, title }: { url: string; title: string }) {
  return <iframe className="archive-pdf" src={url} title={title} data-testid="archive-pdf" />;
}

type Job = ReturnType<typeof useJob>;

/**
 * The progress of a running job with «Прервать»: «— 3 из 20» for counted items, or «— 45%» when
 * the counts are bytes (a backup being checked), which mean nothing to the reader as numbers.
 */
export function JobProgressView({ job, idPrefix, waiting, percent = false }: { job: Job; idPrefix: string; waiting: string; percent?: boolean }) {
  if (!job.running) return null;
  const labelId = `${idPrefix}-progress-label`;
  const stage = job.cancelling ? 'Прерываю…' : job.progress?.stage || waiting;
  const counted = !job.progress || job.progress.total <= (percent ? 1 : 0) ? '' : percent ? (job.percent !== null ? ` — ${job.percent}%` : '') : ` — ${job.progress.done} из ${job.progress.total}`;
  return (
    <div className="progress-block" data-testid={`${idPrefix}-progress`}>
      <div className="progress-label" id={labelId} role="status" aria-live="polite">
        {stage}
        {counted}
      </div>
      <div className="archive-progress-row">
        <progress className="progress" aria-labelledby={labelId} max={100} value={job.percent ?? undefined} />
        <button type="button" className="btn btn-danger btn-small" onClick={job.cancel} disabled={job.cancelling}>
          Прервать
        </button>
      </div>
    </div>
  );
}
