import { useMemo, useState } from 'react';
import { VOLUME_KIND_LABELS, VOLUME_KINDS, type VolumeKind, type VolumeRow } from '../../../../common/api/archive-contract';
import { roleMayCall, type Params } from '../../../../common/api/contract';
import { errorMessage } from '../../api/client';
import { useApi, useLoad, useSession } from '../../api/context';
import { Dialog, DialogActions, ErrorNotice, Loading, Notice, SelectField } from '../../components/ui';
import { useObjectUrl } from '../../files';
import { countOf, formatDateTime, formatIsoDate, formatNumber } from '../../format';
import { MirrorSyncAction } from './MirrorSyncAction';
import { PdfFrame, STATUS_LABELS, pagesText, saveFile, sheetsText, useYears, yearsText } from './shared';

/** Rows on one page of the register: thousands of volumes stay quick. */
export const REGISTER_PAGE_SIZE = 100;

const ANY = '' as const;

/** The kind in a narrow column (the full name is in the tooltip and in the title). */
const KIND_SHORT: Record<VolumeKind, string> = {
  class_journal: 'журнал',
  final_marks_ledger: 'ведомость отметок',
  attendance_ledger: 'ведомость посещаемости',
  movement_ledger: 'ведомость движения',
};

/**
 * «Опись»: the register of sealed volumes with their terms, the archive key and the two
 * folders of the electronic copies. Everyone who sees it may open and save the PDFs.
 */
export function RegisterPanel({ version }: { version: number }) {
  const api = useApi();
  const { years } = useYears();
  const [yearId, setYearId] = useState<string>(ANY);
  const [kind, setKind] = useState<VolumeKind | typeof ANY>(ANY);
  const [all, setAll] = useState(false);
  const [page, setPage] = useState(0);
  const params: Params<'archive.list'> = { all };
  if (yearId) params.yearId = Number(yearId);
  if (kind) params.kind = kind;
  const list = useLoad(() => api.invoke('archive.list', params), `${yearId}:${kind}:${String(all)}:${version}`);
  const [open, setOpen] = useState<{ row: VolumeRow; url: string } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [pendingRow, setPendingRow] = useState<number | null>(null);
  const makeUrl = useObjectUrl();

  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  const pages = Math.max(1, Math.ceil(rows.length / REGISTER_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const pageRows = rows.slice(current * REGISTER_PAGE_SIZE, (current + 1) * REGISTER_PAGE_SIZE);

  const withFile = async (row: VolumeRow, apply: (file: { fileName: string; pdfBase64: string }) => void) => {
    setRowError(null);
    setPendingRow(row.volumeId);
    try {
      apply(await api.invoke('archive.file', { volumeId: row.volumeId }));
    } catch (error) {
      setRowError(`Дело № ${row.archiveNo}: ${errorMessage(error)}`);
    } finally {
      setPendingRow(null);
    }
  };
  const openPdf = (row: VolumeRow) => withFile(row, (file) => setOpen({ row, url: makeUrl(file.pdfBase64, 'application/pdf') }));
  const savePdf = (row: VolumeRow) => withFile(row, (file) => saveFile(file.pdfBase64, file.fileName));

  const filterChanged = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPage(0);
  };

  return (
    <div className="stack">
      {list.data ? <StorageFacts keyFingerprint={list.data.keyFingerprint} archiveDir={list.data.archiveDir} mirrorDir={list.data.mirrorDir} /> : null}
      <div className="filters archive-filters">
        <SelectField
          label="Учебный год"
          value={yearId}
          onValue={filterChanged(setYearId)}
          options={[{ value: ANY, label: 'Все годы' }, ...years.map((y) => ({ value: String(y.id), label: y.name }))]}
        />
        <SelectField<VolumeKind | typeof ANY>
          label="Вид документа"
          value={kind}
          onValue={filterChanged<VolumeKind | typeof ANY>(setKind)}
          options={[{ value: ANY, label: 'Все виды' }, ...VOLUME_KINDS.map((k) => ({ value: k, label: VOLUME_KIND_LABELS[k] }))]}
        />
        <label className="checkbox-field">
          <input type="checkbox" checked={all} onChange={(e) => filterChanged(setAll)(e.target.checked)} /> Показать заменённые и уничтоженные
        </label>
      </div>
      <ErrorNotice error={list.error} />
      {rowError ? <ErrorNotice>{rowError}</ErrorNotice> : null}
      {!list.data && !list.error ? <Loading /> : null}
      {list.data ? (
        <div className="table-wrap" aria-busy={list.loading || undefined}>
          <table className="data-table archive-table" aria-labelledby="archive-register-caption">
            <caption className="table-caption" id="archive-register-caption">
              Опись: {countOf(rows.length, ['дело', 'дела', 'дел'])}
              {pages > 1
                ? `; строки ${formatNumber(current * REGISTER_PAGE_SIZE + 1)}–${formatNumber(current * REGISTER_PAGE_SIZE + pageRows.length)}`
                : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">№ дела</th>
                <th scope="col">Версия</th>
                <th scope="col">Вид</th>
                <th scope="col">Заголовок</th>
                <th scope="col">Год</th>
                <th scope="col">Класс</th>
                <th scope="col">Крайние даты</th>
                <th scope="col">Листов</th>
                <th scope="col">Срок хранения</th>
                <th scope="col">Хранить до</th>
                <th scope="col">Статус</th>
                <th scope="col">SHA-256</th>
                <th scope="col">
                  <span className="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pageRows.map((row) => (
                <tr key={row.volumeId} className={row.status === 'sealed' ? undefined : 'row-cancelled'} data-testid="archive-row">
                  <td className="nowrap">{row.archiveNo}</td>
                  <td>{row.version}</td>
                  <td title={VOLUME_KIND_LABELS[row.kind]}>{KIND_SHORT[row.kind]}</td>
                  <td>{row.title}</td>
                  <td className="nowrap">{row.yearName}</td>
                  <td>{row.classLabel ?? 'вся школа'}</td>
                  <td>
                    <span className="nowrap">{formatIsoDate(row.dateFrom)} —</span> <span className="nowrap">{formatIsoDate(row.dateTo)}</span>
                  </td>
                  <td className="mono-digits" title={`${pagesText(row.pages)}, ${row.duplex ? 'двусторонняя' : 'односторонняя'} печать`}>
                    {row.sheets}
                  </td>
                  <td className="nowrap">{yearsText(row.retentionYears)}</td>
                  <td className="nowrap">{formatIsoDate(row.destroyAfter)}</td>
                  <td>
                    <span className={`archive-status archive-status-${row.status}`}>{STATUS_LABELS[row.status]}</span>
                  </td>
                  <td>
                    <code className="mono" title={row.sha256}>
                      {row.sha256.slice(0, 8)}…
                    </code>
                    <CopyButton text={row.sha256} />
                  </td>
                  <td>
                    {row.status === 'destroyed' ? (
                      <span className="muted small">файл уничтожен</span>
                    ) : (
                      <div className="archive-row-actions">
                        <button type="button" className="link-button" onClick={() => void openPdf(row)} disabled={pendingRow === row.volumeId}>
                          Открыть PDF
                        </button>
                        <button type="button" className="link-button" onClick={() => void savePdf(row)} disabled={pendingRow === row.volumeId}>
                          Сохранить копию
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? (
            <p className="muted archive-empty">
              {yearId || kind ? 'Нет дел с такими условиями.' : 'В архив ещё ничего не сдано: напечатайте документ на вкладке «Печать» или весь год на вкладке «Печать года».'}
            </p>
          ) : null}
        </div>
      ) : null}
      {pages > 1 ? (
        <nav className="archive-pager" aria-label="Страницы описи">
          <button type="button" className="btn btn-small" disabled={current === 0} onClick={() => setPage(current - 1)}>
            ‹ Назад
          </button>
          <span>
            Страница {current + 1} из {pages}
          </span>
          <button type="button" className="btn btn-small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Далее ›
          </button>
        </nav>
      ) : null}
      {open ? <VolumeDialog row={open.row} url={open.url} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function StorageFacts({ keyFingerprint, archiveDir, mirrorDir }: { keyFingerprint: string | null; archiveDir: string; mirrorDir: string | null }) {
  const mayWrite = roleMayCall('archive.syncMirror', useSession().user.role);
  return (
    <div className="stack archive-facts">
      <dl className="kv">
        <div className="kv-row">
          <dt>Ключ архива (отпечаток)</dt>
          <dd>
            {keyFingerprint ? (
              <code className="mono" data-testid="archive-key">
                {keyFingerprint}
              </code>
            ) : (
              'ключ ещё не создан'
            )}
          </dd>
        </div>
        <div className="kv-row">
          <dt>Папка архива</dt>
          <dd className="mono">{archiveDir}</dd>
        </div>
        <div className="kv-row">
          <dt>Папка второй копии</dt>
          <dd className="mono">{mirrorDir ?? 'не указана'}</dd>
        </div>
      </dl>
      {mirrorDir ? (
        mayWrite ? <MirrorSyncAction idPrefix="archive-register" /> : null
      ) : (
        <Notice kind="warning">
          Электронные копии должны храниться на двух носителях: укажите папку второй копии в настройках.
        </Notice>
      )}
    </div>
  );
}

/** Copies a full value (a SHA-256) to the clipboard; the button says when it is done. */
function CopyButton({ text }: { text: string }) {
  const [done, setDone] = useState<boolean | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setDone(true),
      () => setDone(false),
    );
  };
  return (
    <button type="button" className="link-button archive-copy" onClick={copy} title="Скопировать SHA-256 целиком" aria-label="Скопировать SHA-256 целиком">
      {done === null ? 'копировать' : done ? 'скопировано' : 'не удалось'}
    </button>
  );
}

function VolumeDialog({ row, url, onClose }: { row: VolumeRow; url: string; onClose(): void }) {
  return (
    <Dialog title={`Дело № ${row.archiveNo}${row.version > 1 ? `, версия ${row.version}` : ''}`} onClose={onClose} className="dialog-wide archive-dialog">
      <p>
        {row.title}; {sheetsText(row.sheets)}; сдано {formatDateTime(row.sealedAt, false)}; {STATUS_LABELS[row.status]}.
      </p>
      <PdfFrame url={url} title={`PDF дела № ${row.archiveNo}`} />
      <DialogActions hint={false}>
        <button type="button" className="btn" onClick={onClose} data-autofocus="">
          Закрыть
        </button>
      </DialogActions>
    </Dialog>
  );
}
