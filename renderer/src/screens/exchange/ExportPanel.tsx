import { useState } from 'react';
import type { Params } from '../../../../common/api/contract';
import { EXPORT_PROFILES, EXPORT_PROFILE_TITLES, type ExportProfile } from '../../../../common/api/exchange-contract';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Form, SelectField, TextField, useSubmit } from '../../components/ui';
import { useObjectUrl } from '../../files';
import { useJob } from '../../jobs';

const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** «Выгрузка»: a built-in export profile with its filters → the file to save. */
export function ExportPanel() {
  const api = useApi();
  // Everyone who may export may list the classes (secretary, administrator).
  const classes = useLoad(() => api.invoke('classes.list', {}));
  const [profile, setProfile] = useState<ExportProfile>('roster');
  const [classId, setClassId] = useState('');
  const [admittedSince, setAdmittedSince] = useState('');
  const [withoutCodes, setWithoutCodes] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [file, setFile] = useState<{ fileName: string; url: string; rows: number } | null>(null);
  const { busy, errors, run } = useSubmit();
  const makeUrl = useObjectUrl();
  const job = useJob();

  const submit = () => {
    setFile(null);
    const params: Params<'exchange.export'> = { profile };
    if ((profile === 'roster' || profile === 'kiasuo') && classId) params.classId = Number(classId);
    if (profile === 'roster') {
      if (admittedSince) params.admittedSince = admittedSince;
      if (withoutCodes) params.withoutCodes = true;
    }
    if (profile === 'movement') {
      if (from) params.from = from;
      if (to) params.to = to;
    }
    void run(async () => {
      try {
        const result = await api.invoke('exchange.export', { ...params, jobId: job.start() });
        const ext = result.fileName.split('.').pop()?.toLowerCase() ?? '';
        setFile({ fileName: result.fileName, rows: result.rows, url: makeUrl(result.contentBase64, MIME[ext] ?? 'application/octet-stream') });
      } finally {
        job.finish();
      }
    });
  };

  const classOptions = [{ value: '', label: 'все классы' }, ...(classes.data?.classes ?? []).map((c) => ({ value: String(c.id), label: c.label }))];
  return (
    <Form className="stack" onSubmit={submit} aria-label="Выгрузка">
      <div className="form-grid">
        <SelectField
          label="Что выгрузить"
          value={profile}
          onValue={(next) => {
            setProfile(next);
            setFile(null);
          }}
          options={EXPORT_PROFILES.map((p) => ({ value: p, label: EXPORT_PROFILE_TITLES[p] }))}
          error={errors.fields.profile}
          disabled={busy}
        />
        {profile !== 'movement' ? (
          <SelectField label="Класс" value={classId} onValue={setClassId} options={classOptions} error={errors.fields.classId} disabled={busy} />
        ) : null}
        {profile === 'roster' ? (
          <TextField label="Зачисленные с" type="date" value={admittedSince} onValue={setAdmittedSince} error={errors.fields.admittedSince} disabled={busy}
            hint="Оставьте пустым, чтобы выгрузить всех." />
        ) : null}
        {profile === 'movement' ? (
          <>
            <TextField label="Начало периода" type="date" value={from} onValue={setFrom} error={errors.fields.from} disabled={busy} />
            <TextField label="Конец периода" type="date" value={to} onValue={setTo} error={errors.fields.to} disabled={busy} />
          </>
        ) : null}
      </div>
      {profile === 'roster' ? (
        <label className="checkbox">
          <input type="checkbox" checked={withoutCodes} onChange={(e) => setWithoutCodes(e.target.checked)} disabled={busy} /> Только те, у кого нет кодов доступа
        </label>
      ) : null}
      <ErrorNotice error={classes.error} />
      <ErrorNotice error={job.cancelError} />
      <ErrorNotice>{errors.message}</ErrorNotice>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Готовлю файл…' : 'Выгрузить'}
        </button>
        {busy && job.running ? (
          <button type="button" className="btn btn-danger" onClick={job.cancel} disabled={job.cancelling}>
            Прервать
          </button>
        ) : null}
        {file ? (
          <>
            <a className="btn" href={file.url} download={file.fileName}>
              Сохранить «{file.fileName}»
            </a>
            <span className="muted small">Записей в файле: {file.rows}.</span>
          </>
        ) : null}
      </div>
      {busy && job.running ? (
        <div className="progress-block">
          <div className="progress-label" id="export-progress-label">
            {job.cancelling ? 'Прерываю…' : job.progress ? job.progress.stage : 'Подготовка…'}
            {job.percent !== null ? ` — ${job.percent}%` : ''}
          </div>
          <progress className="progress" aria-labelledby="export-progress-label" max={100} value={job.percent ?? undefined} />
        </div>
      ) : null}
    </Form>
  );
}
