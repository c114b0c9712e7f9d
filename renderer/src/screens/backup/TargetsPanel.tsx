import { useState } from 'react';
import { FOLDER_STATE_LABELS } from '../../../../common/api/backup-status-contract';
import type { Result } from '../../../../common/api/contract';
import type { Settings } from '../../../../common/api/schemas';
import { useApi, useLoad } from '../../api/context';
import { clientErrors, ErrorNotice, Form, Loading, Notice, SelectField, TextField, useSubmit, useToast } from '../../components/ui';
import { bytesText, INTERVAL_CHOICES } from './shared';

type BackupSettings = Pick<Settings, 'backupTargets' | 'backupIntervalDays' | 'backupScheduleEnabled' | 'backupKeepLatest' | 'backupKeepMonthly'>;
type CheckResult = Result<'backup.checkTargets'>;

/** «Носители»: the folders, the schedule and the rotation, checked before they are saved. */
export function TargetsPanel({ onSaved }: { onSaved(): void }) {
  const api = useApi();
  const settings = useLoad(() => api.invoke('settings.get', {}));
  if (!settings.data) return settings.error ? <ErrorNotice error={settings.error} /> : <Loading />;
  return <TargetsForm initial={settings.data} onSaved={onSaved} />;
}

function TargetsForm({ initial, onSaved }: { initial: BackupSettings; onSaved(): void }) {
  const api = useApi();
  const toast = useToast();
  const [folders, setFolders] = useState<string[]>(initial.backupTargets);
  const [adding, setAdding] = useState('');
  const [interval, setIntervalDays] = useState(String(initial.backupIntervalDays));
  const [schedule, setSchedule] = useState(initial.backupScheduleEnabled);
  const [keepLatest, setKeepLatest] = useState(String(initial.backupKeepLatest));
  const [keepMonthly, setKeepMonthly] = useState(String(initial.backupKeepMonthly));
  const [check, setCheck] = useState<CheckResult | null>(null);
  const checking = useSubmit();
  const { busy, errors, setErrors, run } = useSubmit();

  const intervalOptions = INTERVAL_CHOICES.some((c) => String(c.days) === interval)
    ? INTERVAL_CHOICES.map((c) => ({ value: String(c.days), label: c.label }))
    : [{ value: interval, label: `каждые ${interval} дн.` }, ...INTERVAL_CHOICES.map((c) => ({ value: String(c.days), label: c.label }))];

  const add = () => {
    const path = adding.trim();
    if (!path) return setErrors({ message: null, fields: { adding: 'введите путь к папке, например E:\\Копии или /media/usb/Копии' } });
    if (folders.includes(path)) return setErrors({ message: null, fields: { adding: 'эта папка уже в списке' } });
    if (folders.length >= 10) return setErrors({ message: null, fields: { adding: 'не больше 10 папок' } });
    setErrors({ message: null, fields: {} });
    setFolders((list) => [...list, path]);
    setAdding('');
    setCheck(null);
  };

  const remove = (path: string) => {
    setFolders((list) => list.filter((f) => f !== path));
    setCheck(null);
  };

  const runCheck = () => {
    if (folders.length === 0) return checking.setErrors({ message: 'Добавьте хотя бы одну папку, затем нажмите «Проверить».', fields: {} });
    void checking.run(async () => setCheck(await api.invoke('backup.checkTargets', { targets: folders })));
  };

  const submit = () => {
    const whole = (text: string, min: number, max: number) => !/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max;
    const local = clientErrors({
      backupTargets: folders.length === 0 && 'добавьте хотя бы одну папку (лучше две — на разных носителях)',
      backupKeepLatest: whole(keepLatest, 1, 100) && 'целое число от 1 до 100',
      backupKeepMonthly: whole(keepMonthly, 0, 120) && 'целое число от 0 до 120',
    });
    if (local) return setErrors(local);
    void run(async () => {
      const saved = await api.invoke('settings.update', {
        backupTargets: folders,
        backupIntervalDays: Number(interval),
        backupScheduleEnabled: schedule,
        backupKeepLatest: Number(keepLatest.trim()),
        backupKeepMonthly: Number(keepMonthly.trim()),
      });
      setFolders(saved.backupTargets);
      toast('Настройки резервных копий сохранены.');
      onSaved();
    });
  };

  const folderError = Object.entries(errors.fields).find(([key]) => key.startsWith('backupTargets'))?.[1];

  return (
    <Form className="stack" onSubmit={submit} aria-label="Носители резервных копий">
      <section className="panel" aria-labelledby="backup-folders-title">
        <h2 className="panel-title" id="backup-folders-title">
          Папки для копий
        </h2>
        <p className="muted backup-explain">
          Укажите не меньше двух папок на разных носителях — например, флешку и второй диск или сетевую папку в другом помещении. В каждую папку
          записывается своя полная копия.
        </p>
        {folders.length > 0 ? (
          <ul className="stack backup-folders" aria-label="Папки резервных копий" data-testid="backup-folders">
            {folders.map((folder) => {
              const result = check?.targets.find((t) => t.path === folder);
              return (
                <li key={folder} className="backup-folder-row">
                  <span className="mono">{folder}</span>
                  {result ? (
                    <span className={result.state === 'ok' ? 'backup-ok' : 'backup-failed'} data-testid="backup-folder-check">
                      {result.state === 'ok' ? `доступна для записи, свободно ${bytesText(result.freeBytes)}` : `${FOLDER_STATE_LABELS[result.state]}: ${result.problem ?? ''}`}
                    </span>
                  ) : null}
                  <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => remove(folder)} disabled={busy} aria-label={`Убрать папку ${folder}`}>
                    Убрать
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <p>Папок пока нет.</p>
        )}
        {folderError ? <div className="field-error">{folderError}</div> : null}
        <div className="backup-folder-row">
          <TextField
            label="Новая папка"
            value={adding}
            onValue={setAdding}
            error={errors.fields.adding}
            hint="Полный путь, например E:\Резервные копии"
            autoComplete="off"
            onKeyDown={(e) => {
              // Enter in this field adds the folder instead of saving the whole form.
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="btn" onClick={add} disabled={busy}>
            Добавить
          </button>
        </div>
        <div className="button-row">
          <button type="button" className="btn" onClick={runCheck} disabled={checking.busy}>
            {checking.busy ? 'Проверяю…' : 'Проверить'}
          </button>
        </div>
        <ErrorNotice>{checking.errors.message}</ErrorNotice>
        {check ? (
          check.warnings.length > 0 ? (
            check.warnings.map((w) => (
              <Notice key={w} kind="warning">
                {w}
              </Notice>
            ))
          ) : check.targets.every((t) => t.state === 'ok') ? (
            <Notice kind="success">Все папки доступны для записи{check.targets.length > 1 ? ' и находятся на разных носителях' : ''}.</Notice>
          ) : null
        ) : null}
      </section>
      <section className="panel" aria-labelledby="backup-schedule-title">
        <h2 className="panel-title" id="backup-schedule-title">
          Расписание и хранение
        </h2>
        <div className="form form-two-columns">
          <SelectField label="Как часто делать копию" value={interval} onValue={setIntervalDays} options={intervalOptions} error={errors.fields.backupIntervalDays} />
          <label className="checkbox-line">
            <input type="checkbox" checked={schedule} onChange={(e) => setSchedule(e.target.checked)} /> Делать копии по расписанию, пока программа открыта
          </label>
          <TextField
            label="Хранить последних копий"
            inputMode="numeric"
            value={keepLatest}
            onValue={setKeepLatest}
            error={errors.fields.backupKeepLatest}
            hint="Столько самых новых копий остаётся в каждой папке."
          />
          <TextField
            label="И по одной в месяц, месяцев"
            inputMode="numeric"
            value={keepMonthly}
            onValue={setKeepMonthly}
            error={errors.fields.backupKeepMonthly}
            hint="Кроме них — самая новая копия каждого месяца; 12 — за год. Более старые копии удаляются после успешной новой."
          />
        </div>
      </section>
      <ErrorNotice>{errors.message}</ErrorNotice>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Сохранить
        </button>
      </div>
    </Form>
  );
}
