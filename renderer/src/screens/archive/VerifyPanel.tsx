import { useState } from 'react';
import type { Result } from '../../../../common/api/contract';
import { useApi } from '../../api/context';
import { ErrorNotice, Notice, useSubmit } from '../../components/ui';
import { countOf, formatDateTime } from '../../format';
import { useJob } from '../../jobs';
import { MirrorSyncAction, missingMirrorCopies } from './MirrorSyncAction';
import { JobProgressView } from './shared';

type VerifyResult = Result<'archive.verify'>;

/** «Проверка»: every stored copy of every sealed volume against its SHA-256 and signature. */
export function VerifyPanel() {
  const api = useApi();
  const [result, setResult] = useState<{ at: Date; data: VerifyResult } | null>(null);
  const { busy, errors, run } = useSubmit();
  const job = useJob();

  const verify = () => {
    setResult(null);
    void run(async () => {
      try {
        setResult({ at: new Date(), data: await api.invoke('archive.verify', { jobId: job.start() }) });
      } finally {
        job.finish();
      }
    });
  };

  return (
    <div className="stack">
      <p className="muted">
        Каждая электронная копия каждого сданного дела (основная и вторая) сверяется с записанной при сдаче контрольной суммой SHA-256, а подпись
        суммы — с ключом архива школы. Так видно, что файл за годы хранения не изменился ни на байт.
      </p>
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={verify} disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Проверяю…' : 'Проверить архив'}
        </button>
      </div>
      <JobProgressView job={job} idPrefix="archive-verify" waiting="Проверка: подготовка…" />
      <ErrorNotice error={job.cancelError} />
      <ErrorNotice>{errors.message}</ErrorNotice>
      {result ? <VerifyReport at={result.at} result={result.data} /> : null}
    </div>
  );
}

function VerifyReport({ at, result }: { at: Date; result: VerifyResult }) {
  const volumes = countOf(result.checkedVolumes, ['дело', 'дела', 'дел']);
  const copies = countOf(result.checkedCopies, ['копия', 'копии', 'копий']);
  const withoutMirror = missingMirrorCopies(result);
  return (
    <section className="panel" aria-labelledby="archive-verify-result" data-testid="archive-verify-result">
      <h2 className="panel-title" id="archive-verify-result">
        Результат проверки от {formatDateTime(at)}
      </h2>
      {result.ok ? (
        <Notice kind="success">
          {result.checkedVolumes === 0
            ? 'В архиве ещё нет сданных дел: проверять нечего.'
            : `Все ${volumes} (${copies}) целы: содержимое и подписи совпадают с записанными при сдаче.`}
        </Notice>
      ) : (
        <>
          <ErrorNotice>
            Проверено {volumes} ({copies}); найдено проблем: {result.problems.length}. Изменённую или пропавшую копию восстановите из другой, целой копии
            того же дела (из второй папки или с резервного носителя) и проверьте снова. Если целых копий не осталось, напечатайте документ заново: в описи
            появится новая версия дела, а о замене нужно составить акт.
          </ErrorNotice>
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Найденные проблемы</caption>
              <thead>
                <tr>
                  <th scope="col">Дело</th>
                  <th scope="col">Копия</th>
                  <th scope="col">Что не так</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p, i) => (
                  <tr key={`${p.volumeId}:${i}`} data-testid="archive-verify-problem">
                    <td>
                      № {p.archiveNo} — {p.title}
                    </td>
                    <td>{p.copy}</td>
                    <td>{p.problem}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {withoutMirror > 0 ? (
            <div className="stack">
              <p>
                Второй копии нет у {countOf(withoutMirror, ['дела', 'дел', 'дел'])}. Так бывает с делами, сданными до того, как указали папку второй копии, и после
                замены её диска. Недостающие копии можно записать из основных — только из тех, что прошли проверку; имеющиеся вторые копии не перезаписываются.
              </p>
              <MirrorSyncAction idPrefix="archive-verify" />
            </div>
          ) : null}
        </>
      )}
      {result.keyFingerprint ? (
        <p className="muted small">
          Отпечаток ключа архива: <code className="mono">{result.keyFingerprint}</code>
        </p>
      ) : null}
    </section>
  );
}
