import { useState } from 'react';
import { MIRROR_COPY_LABEL, PROBLEM_FILE_MISSING } from '../../../../common/api/archive-contract';
import type { Result } from '../../../../common/api/contract';
import { useApi } from '../../api/context';
import { ErrorNotice, Notice, useSubmit } from '../../components/ui';
import { countOf } from '../../format';
import { useJob } from '../../jobs';
import { JobProgressView } from './shared';

type SyncResult = Result<'archive.syncMirror'>;

const VOLUMES: [string, string, string] = ['дело', 'дела', 'дел'];

/** How many volumes a verification found without their second copy (the button is offered for them). */
export function missingMirrorCopies(result: Result<'archive.verify'>): number {
  return new Set(result.problems.filter((p) => p.copy.startsWith(MIRROR_COPY_LABEL) && p.problem === PROBLEM_FILE_MISSING).map((p) => p.volumeId)).size;
}

/**
 * «Записать недостающие вторые копии»: runs `archive.syncMirror` in the background with progress
 * and «Прервать», then shows what was written and what was not, with the reason for each.
 */
export function MirrorSyncAction({ idPrefix, onDone }: { idPrefix: string; onDone?(result: SyncResult): void }) {
  const api = useApi();
  const { busy, errors, run } = useSubmit();
  const job = useJob();
  const [result, setResult] = useState<SyncResult | null>(null);

  const sync = () => {
    setResult(null);
    void run(async () => {
      try {
        const done = await api.invoke('archive.syncMirror', { jobId: job.start() });
        setResult(done);
        onDone?.(done);
      } finally {
        job.finish();
      }
    });
  };

  return (
    <div className="stack" data-testid={`${idPrefix}-mirror-sync`}>
      <div className="button-row">
        <button type="button" className="btn" onClick={sync} disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Записываю копии…' : 'Записать недостающие вторые копии'}
        </button>
      </div>
      <JobProgressView job={job} idPrefix={`${idPrefix}-mirror-sync`} waiting="Запись копий: подготовка…" />
      <ErrorNotice error={job.cancelError} />
      <ErrorNotice>{errors.message}</ErrorNotice>
      {result ? <MirrorSyncReport result={result} /> : null}
    </div>
  );
}

function MirrorSyncReport({ result }: { result: SyncResult }) {
  const summary = `Записано вторых копий: ${result.copied}; уже были на месте и целы: ${result.alreadyPresent}.`;
  if (result.failed.length === 0) {
    return (
      <div data-testid="archive-mirror-sync-result">
        <Notice kind="success">{result.copied > 0 ? `${summary} Проверьте архив, чтобы убедиться, что все копии целы.` : summary}</Notice>
      </div>
    );
  }
  return (
    <div className="stack" data-testid="archive-mirror-sync-result">
      <ErrorNotice>
        {summary} Не записано: {countOf(result.failed.length, VOLUMES)} — причина и что делать указаны для каждого. Существующие вторые копии никогда не
        перезаписываются автоматически, а повреждённая основная копия не копируется.
      </ErrorNotice>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Дела, вторые копии которых не записаны</caption>
          <thead>
            <tr>
              <th scope="col">Дело</th>
              <th scope="col">Причина</th>
            </tr>
          </thead>
          <tbody>
            {result.failed.map((f) => (
              <tr key={f.volumeId} data-testid="archive-mirror-sync-failure">
                <td>
                  № {f.archiveNo} — {f.title}
                </td>
                <td>{f.problem}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
