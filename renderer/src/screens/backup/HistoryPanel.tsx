import { useState } from 'react';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Loading } from '../../components/ui';
import { formatDateTime, formatNumber } from '../../format';
import { bytesText } from './shared';

/** Rows on one page: the server pages, so thousands of runs stay quick. */
export const HISTORY_PAGE_SIZE = 50;

const STATUS_TEXT = { ok: 'записано и проверено', failed: 'не записано', running: 'выполняется' } as const;
const TRIGGER_TEXT: Record<string, string> = { manual: 'вручную', schedule: 'по расписанию', cli: 'командой' };

/** «История»: every attempt on every medium, newest first. */
export function HistoryPanel({ version }: { version: number }) {
  const api = useApi();
  const [page, setPage] = useState(0);
  const list = useLoad(() => api.invoke('backup.history', { limit: HISTORY_PAGE_SIZE, offset: page * HISTORY_PAGE_SIZE }), `${page}:${version}`);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));

  return (
    <div className="stack">
      <ErrorNotice error={list.error} />
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && total === 0 ? <p className="muted">Резервных копий ещё не было.</p> : null}
      {list.data && total > 0 ? (
        <>
          <div className="table-wrap">
            <table className="data-table backup-targets" data-testid="backup-history">
              <caption className="table-caption">
                Попытки резервного копирования: {formatNumber(total)}, сначала новые
              </caption>
              <thead>
                <tr>
                  <th scope="col">Начато</th>
                  <th scope="col">Закончено</th>
                  <th scope="col">Папка</th>
                  <th scope="col">Файл</th>
                  <th scope="col">Размер</th>
                  <th scope="col">Итог</th>
                  <th scope="col">Запуск</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((row) => (
                  <tr key={row.id} data-testid="backup-history-row">
                    <td className="nowrap">{formatDateTime(row.startedAt)}</td>
                    <td className="nowrap">{formatDateTime(row.finishedAt)}</td>
                    <td className="mono">{row.target}</td>
                    <td className="mono">{row.file ?? '—'}</td>
                    <td className="nowrap">{bytesText(row.bytes)}</td>
                    <td>
                      <span className={row.status === 'ok' ? 'backup-ok' : row.status === 'failed' ? 'backup-failed' : ''}>{STATUS_TEXT[row.status]}</span>
                      {row.message ? <div className="small">{row.message}</div> : null}
                    </td>
                    <td>{row.trigger ? (TRIGGER_TEXT[row.trigger] ?? row.trigger) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <div className="button-row">
              <button type="button" className="btn" onClick={() => setPage((p) => Math.max(0, p - 1))} disabled={page === 0}>
                ← Новее
              </button>
              <span className="muted">
                Страница {page + 1} из {pages}
              </span>
              <button type="button" className="btn" onClick={() => setPage((p) => Math.min(pages - 1, p + 1))} disabled={page >= pages - 1}>
                Старее →
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
