import { useEffect, useId, useState } from 'react';
import type { BackupInspection } from '../../../../common/api/backup-restore-contract';
import type { Result } from '../../../../common/api/contract';
import { useApi } from '../../api/context';
import { Dialog, DialogActions, ErrorNotice, Form, Loading, Notice, TextField, useSubmit } from '../../components/ui';
import { countOf, formatDateTime, formatNumber } from '../../format';
import { useJob } from '../../jobs';
import { bytesText } from './shared';
import { JobProgressView } from '../archive/shared';

type Candidates = Result<'backup.candidates'>;

/** The main tables the manifest counts, as the secretary calls them; an unknown table is shown by its name. */
const COUNT_LABELS: Record<string, string> = {
  pupil: 'Учеников',
  guardian: 'Законных представителей',
  staff: 'Сотрудников',
  school_class: 'Классов',
  subject: 'Предметов',
  lesson: 'Уроков',
  mark: 'Отметок',
  attendance: 'Записей о посещаемости',
  final_mark: 'Итоговых отметок',
  archive_volume: 'Дел в электронном архиве',
  audit_log: 'Записей журнала действий',
  app_user: 'Пользователей',
};

const OTHER = '';

/**
 * «Восстановление»: choose a backup (from the backup folders or any file), check it with the
 * passphrase and see what it holds, then restore it. The restore replaces the register with the
 * copy's and keeps the current one aside; the window returns to the login screen by itself (the
 * `backup.restored` event), so this panel only starts the job and shows its progress.
 */
export function RestorePanel() {
  const api = useApi();
  const [list, setList] = useState<Candidates | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [otherFile, setOtherFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [inspection, setInspection] = useState<BackupInspection | null>(null);
  const [confirming, setConfirming] = useState(false);
  const check = useSubmit();
  const job = useJob();

  // Read on mount and on «Обновить список» (a medium connected meanwhile).
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let alive = true;
    api.invoke('backup.candidates', {}).then(
      (next) => {
        if (!alive) return;
        setListError(null);
        setList(next);
        setChosen((current) => current ?? next.backups.find((b) => !b.newer)?.file ?? (next.backups.length === 0 ? OTHER : null));
      },
      (error: unknown) => {
        if (alive) setListError(error);
      },
    );
    return () => {
      alive = false;
    };
  }, [api, attempt]);
  const load = () => setAttempt((n) => n + 1);

  const file = chosen === OTHER ? otherFile.trim() : (chosen ?? '');
  const choose = (next: string) => {
    setChosen(next);
    setInspection(null);
  };

  const inspect = () => {
    setInspection(null);
    const fields: Record<string, string> = {};
    if (!file) fields.file = chosen === OTHER ? 'укажите полный путь к файлу копии (.sobak)' : 'выберите копию в списке';
    if (!passphrase) fields.passphrase = 'введите парольную фразу резервных копий';
    if (Object.keys(fields).length > 0) return check.setErrors({ message: 'Проверьте отмеченные поля.', fields });
    void check.run(async () => {
      try {
        setInspection(await api.invoke('backup.inspect', { file, passphrase, jobId: job.start() }));
      } finally {
        job.finish();
      }
    });
  };

  const inspectedNow = inspection !== null && inspection.file === file;

  return (
    <div className="stack backup-restore">
      <p className="muted backup-explain">
        Восстановление заменяет все данные программы данными резервной копии. Сначала проверьте копию: программа прочитает её целиком с парольной
        фразой, сверит контрольные суммы и покажет, что в ней есть. Текущая база при восстановлении не удаляется — она сохраняется рядом, в папке данных.
      </p>

      <section className="panel" aria-labelledby="restore-choose-title">
        <h2 className="panel-title" id="restore-choose-title">
          1. Выберите копию
        </h2>
        <CandidateList list={list} error={listError} chosen={chosen} onChoose={choose} disabled={check.busy} />
        <label className="checkbox-line">
          <input type="radio" name="restore-candidate" checked={chosen === OTHER} onChange={() => choose(OTHER)} disabled={check.busy} /> Другой файл…
        </label>
        {chosen === OTHER ? (
          <TextField
            label="Файл резервной копии"
            value={otherFile}
            onValue={(v) => {
              setOtherFile(v);
              setInspection(null);
            }}
            error={check.errors.fields.file}
            hint="Полный путь к файлу .sobak, например на флешке: E:\Копии\school-2026-11-24-041530.sobak"
            autoComplete="off"
            spellCheck={false}
          />
        ) : check.errors.fields.file ? (
          <ErrorNotice>{check.errors.fields.file}</ErrorNotice>
        ) : null}
        <div className="button-row">
          <button type="button" className="btn btn-small" onClick={load} disabled={check.busy}>
            Обновить список
          </button>
        </div>
      </section>

      <section className="panel" aria-labelledby="restore-check-title">
        <h2 className="panel-title" id="restore-check-title">
          2. Проверьте копию
        </h2>
        <Form onSubmit={inspect}>
          <TextField
            label="Парольная фраза резервных копий"
            type="password"
            value={passphrase}
            onValue={(v) => {
              setPassphrase(v);
              setInspection(null);
            }}
            error={check.errors.fields.passphrase}
            hint="Та, что задана на вкладке «Парольная фраза» (или была задана, когда делалась копия)."
            autoComplete="off"
          />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={check.busy} aria-busy={check.busy || undefined}>
              {check.busy ? 'Проверяю…' : 'Проверить копию'}
            </button>
          </div>
        </Form>
        <JobProgressView percent job={job} idPrefix="restore-inspect" waiting="Проверка: вычисление ключа по парольной фразе…" />
        <ErrorNotice error={job.cancelError} />
        <ErrorNotice>{check.errors.message}</ErrorNotice>
        {inspectedNow ? <InspectionReport inspection={inspection} /> : null}
      </section>

      {inspectedNow && inspection.ok ? (
        <section className="panel" aria-labelledby="restore-run-title">
          <h2 className="panel-title" id="restore-run-title">
            3. Восстановите
          </h2>
          <div className="button-row">
            <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
              Восстановить…
            </button>
          </div>
        </section>
      ) : null}

      {confirming && inspection ? (
        <RestoreDialog inspection={inspection} passphrase={passphrase} dataDir={list?.dataDir ?? null} onClose={() => setConfirming(false)} />
      ) : null}
    </div>
  );
}

function CandidateList({ list, error, chosen, onChoose, disabled }: { list: Candidates | null; error: unknown; chosen: string | null; onChoose(file: string): void; disabled: boolean }) {
  if (error) return <ErrorNotice error={error} />;
  if (!list) return <Loading text="Ищу резервные копии…" />;
  const missing = list.folders.filter((f) => f.error !== null);
  return (
    <div className="stack">
      {list.folders.length === 0 ? (
        <Notice>Папки резервных копий не заданы (вкладка «Носители»). Укажите файл копии ниже.</Notice>
      ) : list.backups.length === 0 ? (
        <Notice>В папках резервных копий нет копий. Подключите носитель с копиями и нажмите «Обновить список» или укажите файл ниже.</Notice>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="restore-candidates">
            <caption className="visually-hidden">Резервные копии в папках</caption>
            <thead>
              <tr>
                <th scope="col">Копия от</th>
                <th scope="col">Версия программы</th>
                <th scope="col">Размер</th>
                <th scope="col">Папка</th>
              </tr>
            </thead>
            <tbody>
              {list.backups.map((b) => (
                <tr key={b.file} data-testid="restore-candidate">
                  <td>
                    <label className="checkbox-line">
                      <input type="radio" name="restore-candidate" checked={chosen === b.file} onChange={() => onChoose(b.file)} disabled={disabled} />{' '}
                      {formatDateTime(b.createdAt, false)}
                    </label>
                  </td>
                  <td>
                    {b.appVersion}
                    {b.newer ? <div className="backup-failed small">более новая версия: восстановить нельзя</div> : null}
                  </td>
                  <td>{bytesText(b.bytes)}</td>
                  <td className="mono small">{b.folder}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {missing.map((f) => (
        <Notice key={f.folder} kind="warning">
          {f.error}
        </Notice>
      ))}
      {list.folders
        .filter((f) => f.unreadable > 0)
        .map((f) => (
          <Notice key={`${f.folder}-unreadable`} kind="warning">
            В папке «{f.folder}» {countOf(f.unreadable, ['файл', 'файла', 'файлов'])} с именем резервной копии не читается: это не копия или она повреждена.
          </Notice>
        ))}
    </div>
  );
}

function InspectionReport({ inspection }: { inspection: BackupInspection }) {
  if (!inspection.ok) {
    return (
      <div className="stack" data-testid="restore-inspection">
        <ErrorNotice>{inspection.error ?? 'Копия не прошла проверку.'}</ErrorNotice>
        {inspection.createdAt ? (
          <p className="muted small">
            Копия от {formatDateTime(inspection.createdAt, false)}, версия программы {inspection.appVersion}.
          </p>
        ) : null}
      </div>
    );
  }
  const counts = Object.entries(inspection.counts);
  return (
    <div className="stack" data-testid="restore-inspection">
      <Notice kind="success">Копия цела: расшифрована, контрольные суммы всех частей сходятся, пробное восстановление базы прошло.</Notice>
      <dl className="kv">
        <div className="kv-row">
          <dt>Копия сделана</dt>
          <dd>{formatDateTime(inspection.createdAt)}</dd>
        </div>
        <div className="kv-row">
          <dt>Версия программы</dt>
          <dd>
            {inspection.appVersion} (схема данных {inspection.schemaVersion})
          </dd>
        </div>
        {counts.map(([table, n]) => (
          <div className="kv-row" key={table}>
            <dt>{COUNT_LABELS[table] ?? table}</dt>
            <dd>{formatNumber(n)}</dd>
          </div>
        ))}
        <div className="kv-row">
          <dt>Файлов в копии</dt>
          <dd>{formatNumber(inspection.files)}</dd>
        </div>
        <div className="kv-row">
          <dt>Из них PDF электронного архива</dt>
          <dd>{formatNumber(inspection.archiveFiles)}</dd>
        </div>
        <div className="kv-row">
          <dt>Размер файла</dt>
          <dd>{bytesText(inspection.bytes)}</dd>
        </div>
      </dl>
    </div>
  );
}

function RestoreDialog({ inspection, passphrase, dataDir, onClose }: { inspection: BackupInspection; passphrase: string; dataDir: string | null; onClose(): void }) {
  const api = useApi();
  const [understood, setUnderstood] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, errors, setErrors, run } = useSubmit();
  const job = useJob();
  const textId = useId();

  const restore = () => {
    if (!understood) return setErrors({ message: 'Отметьте «Я понимаю», чтобы восстановить.', fields: { understood: 'обязательно' } });
    void run(async () => {
      try {
        // The window goes to the login screen on the `backup.restored` event; the answer is shown in case it stays.
        const result = await api.invoke('backup.restore', { file: inspection.file, passphrase, understood: true, jobId: job.start() });
        setDone(result.message);
      } finally {
        job.finish();
      }
    });
  };

  return (
    <Dialog title="Восстановить из резервной копии?" onClose={onClose} closable={!busy} describedBy={textId}>
      <Form onSubmit={restore}>
        <div id={textId} className="dialog-text stack">
          <p>
            Все текущие данные программы будут заменены данными копии от <b>{formatDateTime(inspection.createdAt)}</b>. Изменения, сделанные после неё, в
            восстановленной базе не окажутся.
          </p>
          <p>
            Текущая база не удаляется: она будет сохранена целиком (с ключом и электронным архивом) в папке{' '}
            <span className="mono">{dataDir ? `${dataDir}${dataDir.includes('\\') ? '\\' : '/'}pre-restore-…` : 'pre-restore-… в папке данных'}</span>.
          </p>
          <p>Все пользователи будут отключены и должны войти снова — с учётными записями и паролями, которые были на момент копии.</p>
        </div>
        <label className="checkbox-line">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} disabled={busy} data-autofocus="" /> Я понимаю
        </label>
        <JobProgressView percent job={job} idPrefix="restore-run" waiting="Восстановление: вычисление ключа по парольной фразе…" />
        <ErrorNotice error={job.cancelError} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        {done ? <Notice kind="success">{done}</Notice> : null}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy || !understood || done !== null}>
            {busy ? 'Восстанавливаю…' : 'Восстановить'}
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}

