import { useState } from 'react';
import { FOLDER_STATE_LABELS, type TargetStatus } from '../../../../common/api/backup-status-contract';
import type { Result } from '../../../../common/api/contract';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Loading, Notice, useSubmit, useToast } from '../../components/ui';
import { countOf, formatDateTime } from '../../format';
import { useJob } from '../../jobs';
import { JobProgressView } from '../archive/shared';
import type { BackupTab } from './BackupScreen';
import { ageText, bytesText, intervalText } from './shared';

type RunResult = Result<'backup.run'>;

/**
 * «Состояние»: each medium checked live with its last good copy and what to do when it is
 * overdue or failed; the warnings; «Сделать копию сейчас» with progress, «Прервать» and the
 * result per medium.
 */
export function StatusPanel({ version, mayWork, onChanged, onGoTo }: { version: number; mayWork: boolean; onChanged(): void; onGoTo(tab: BackupTab): void }) {
  const api = useApi();
  const toast = useToast();
  const status = useLoad(() => api.invoke('backup.status', {}), String(version));
  const [result, setResult] = useState<RunResult | null>(null);
  const { busy, errors, run } = useSubmit();
  const job = useJob();
  const data = status.data;

  const runNow = () => {
    if (!data) return;
    setResult(null);
    void run(async () => {
      try {
        const done = await api.invoke('backup.run', { jobId: job.start() });
        setResult(done);
        const good = done.targets.filter((x) => x.ok).length;
        toast(`Резервная копия: записано и проверено в ${good} из ${done.targets.length}.`);
      } finally {
        job.finish();
        onChanged();
      }
    });
  };

  if (!data) return status.error ? <ErrorNotice error={status.error} /> : <Loading />;
  const mayRun = data.keyConfigured && data.targets.length > 0;

  return (
    <div className="stack">
      {data.warnings.map((w) => (
        <Notice key={w} kind="warning">
          {w}
        </Notice>
      ))}
      {mayWork && (!data.keyConfigured || data.targets.length < 2) ? (
        <div className="button-row">
          {!data.keyConfigured ? (
            <button type="button" className="btn" onClick={() => onGoTo('passphrase')}>
              Задать парольную фразу
            </button>
          ) : null}
          {data.targets.length < 2 ? (
            <button type="button" className="btn" onClick={() => onGoTo('targets')}>
              Настроить носители
            </button>
          ) : null}
        </div>
      ) : null}

      {data.targets.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table backup-targets" data-testid="backup-status">
            <caption className="visually-hidden">Носители резервных копий</caption>
            <thead>
              <tr>
                <th scope="col">Папка</th>
                <th scope="col">Состояние</th>
                <th scope="col">Свободно</th>
                <th scope="col">Последняя хорошая копия</th>
              </tr>
            </thead>
            <tbody>
              {data.targets.map((row) => (
                <TargetRow key={row.path} row={row} intervalDays={data.schedule.intervalDays} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Папки для копий не заданы.</p>
      )}

      <p className="muted" data-testid="backup-schedule">
        {data.schedule.enabled
          ? `По расписанию: ${intervalText(data.schedule.intervalDays)}, пока программа открыта.${data.schedule.nextDueAt ? ` Следующая копия: ${Date.parse(data.schedule.nextDueAt) <= Date.parse(data.now) ? 'нужна сейчас' : formatDateTime(data.schedule.nextDueAt, false)}.` : ''}`
          : 'Копии по расписанию выключены: делайте их кнопкой ниже или командой в планировщике заданий.'}{' '}
        Хранятся {countOf(data.rotation.keepLatest, ['последняя копия', 'последние копии', 'последних копий'])}
        {data.rotation.keepMonthly > 0 ? ` и по одной в месяц за ${countOf(data.rotation.keepMonthly, ['месяц', 'месяца', 'месяцев'])}` : ''}.
      </p>

      {mayWork ? (
        <div className="button-row">
          <button type="button" className="btn btn-primary" onClick={runNow} disabled={busy || !mayRun} aria-busy={busy || undefined}>
            {busy ? 'Делаю копию…' : 'Сделать копию сейчас'}
          </button>
          {!mayRun ? <span className="muted small">{!data.keyConfigured ? 'Сначала задайте парольную фразу.' : 'Сначала добавьте папки на вкладке «Носители».'}</span> : null}
        </div>
      ) : null}
      <JobProgressView percent job={job} idPrefix="backup-run" waiting="Резервная копия: подготовка…" />
      <ErrorNotice error={job.cancelError} />
      <ErrorNotice>{errors.message}</ErrorNotice>
      {result ? <RunReport result={result} /> : null}
    </div>
  );
}

function TargetRow({ row, intervalDays }: { row: TargetStatus; intervalDays: number }) {
  return (
    <tr data-testid="backup-target">
      <td className="mono">{row.path}</td>
      <td>
        <span className={row.state === 'ok' ? 'backup-ok' : 'backup-failed'}>{FOLDER_STATE_LABELS[row.state]}</span>
        {row.problem ? <div className="small">{row.problem}</div> : null}
      </td>
      <td className="nowrap">{bytesText(row.freeBytes)}</td>
      <td>
        {row.lastGood ? (
          <>
            {formatDateTime(row.lastGood.finishedAt, false)} — {ageText(row.ageDays)}
            {!row.lastGood.present ? <div className="backup-failed small">файла копии в папке нет</div> : null}
          </>
        ) : (
          'копий ещё не было'
        )}
        {row.overdue ? (
          <div className="backup-overdue" data-testid="backup-overdue">
            {row.lastGood ? `Копия устарела: прошло больше ${countOf(intervalDays, ['дня', 'дней', 'дней'])}.` : 'Копии нет.'} Подключите носитель и
            нажмите «Сделать копию сейчас».
          </div>
        ) : null}
        {row.lastFailure ? (
          <div className="backup-failed small" data-testid="backup-last-failure">
            Ошибка {formatDateTime(row.lastFailure.at, false)}: {row.lastFailure.message}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function RunReport({ result }: { result: RunResult }) {
  const failed = result.targets.filter((x) => !x.ok).length;
  return (
    <section className="panel" aria-labelledby="backup-run-result" data-testid="backup-run-result">
      <h2 className="panel-title" id="backup-run-result">
        Итог копирования
      </h2>
      {failed === 0 ? <Notice kind="success">Копия записана и проверена на всех носителях.</Notice> : null}
      {result.warnings.map((w) => (
        <Notice key={w} kind="warning">
          {w}
        </Notice>
      ))}
      <ul>
        {result.targets.map((x) => (
          <li key={x.path} data-testid="backup-run-target">
            <span className="mono">{x.path}</span>:{' '}
            {x.ok ? (
              <>
                <span className="backup-ok">записано и проверено</span> ({bytesText(x.bytes)})
                {x.removed > 0 ? `; удалено старых файлов по правилу хранения: ${x.removed}` : ''}
              </>
            ) : (
              <span className="backup-failed">не записано: {x.error}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
