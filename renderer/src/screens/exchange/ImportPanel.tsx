import { useEffect, useRef, useState } from 'react';
import { ApiCallError } from '../../api/client';
import type { Result } from '../../../../common/api/contract';
import type { ConflictResolution } from '../../../../common/exchange/report';
import type { ImportProfile } from '../../../../common/exchange/profile';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Loading, Notice, SelectField, useToast } from '../../components/ui';
import { readBase64 } from '../../files';
import { FolderRefusal, packFolderFiles } from '../../folder-package';
import { useJob } from '../../jobs';
import { ENTITY_TITLES, type MappingState } from '../../../../common/exchange/mapping';
import { MappingStep } from './MappingStep';
import { ImportReportView } from './ImportReportView';

type Encoding = 'auto' | 'utf-8' | 'windows-1251';
const ENCODING_OPTIONS: { value: Encoding; label: string }[] = [
  { value: 'auto', label: 'определить автоматически' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1251', label: 'Windows-1251' },
];

type Report = Result<'exchange.import'>;
interface ChosenFile {
  name: string;
  base64: string;
}
const conflictKey = (row: number, column: string) => `${row}\u0000${column}`;

/**
 * «Загрузка»: profile and file → (for table profiles) the mapping on a preview → «Проверить»
 * (a dry run, nothing written) → the report, with a decision per conflict → «Загрузить» (the
 * real run with the same profile and decisions, with progress and «Прервать»).
 */
export function ImportPanel() {
  const api = useApi();
  const toast = useToast();
  const profiles = useLoad(() => api.invoke('exchange.profiles', {}));
  const list = profiles.data?.profiles ?? [];
  const [profileId, setProfileId] = useState('roster');
  const builtin = list.find((p) => p.id === profileId) ?? null;
  const isTable = builtin?.layout === 'table';

  const [file, setFile] = useState<ChosenFile | null>(null);
  /** Counts the files chosen, so the same name chosen again is still a new file. */
  const [fileSeq, setFileSeq] = useState(0);
  const [fileError, setFileError] = useState<unknown>(null);
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [sheet, setSheet] = useState('');
  const [mapping, setMapping] = useState<MappingState>({ profile: null, ready: false });

  const [report, setReport] = useState<Report | null>(null);
  const [checkedWith, setCheckedWith] = useState<string | ImportProfile | null>(null);
  const [decisions, setDecisions] = useState<Record<string, 'app' | 'file'>>({});
  const [busy, setBusy] = useState<'check' | 'write' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Report | null>(null);

  const job = useJob();
  const { progress, percent, cancelling } = job;

  const preview = useLoad(
    () =>
      file && isTable
        ? api.invoke('exchange.preview', { fileName: file.name, contentBase64: file.base64, encoding, ...(sheet ? { sheet } : {}) })
        : Promise.resolve(null),
    `${fileSeq}:${file ? 'f' : ''}:${isTable ? 't' : ''}:${encoding}:${sheet}`,
  );

  // Whatever changes the input makes the old report stale: it must be checked again.
  // The mapping step is mounted anew (its key) on every such change and reports its state again.
  const forget = () => {
    setMapping({ profile: null, ready: false });
    setReport(null);
    setCheckedWith(null);
    setDecisions({});
    setError(null);
    setDone(null);
  };

  const chooseFile = async (chosen: File | undefined) => {
    forget();
    setFile(null);
    setFileError(null);
    setSheet('');
    if (!chosen) return;
    setFileSeq((n) => n + 1);
    try {
      setFile({ name: chosen.name, base64: await readBase64(chosen) });
    } catch (e) {
      setFileError(e);
    }
  };

  // A КИАСУО package may also be a folder of JSON files: packed into `<folder>.zip` here.
  const chooseFolder = async (chosen: FileList | null) => {
    forget();
    setFile(null);
    setFileError(null);
    if (!chosen || chosen.length === 0) return;
    setFileSeq((n) => n + 1);
    try {
      setFile(await packFolderFiles([...chosen]));
    } catch (e) {
      setFileError(e instanceof FolderRefusal ? new ApiCallError({ code: 'refused', message: e.message }) : e);
    }
  };

  const profileParam: string | ImportProfile | null = !builtin ? null : isTable ? (mapping.ready ? (mapping.profile ?? builtin.id) : null) : builtin.id;
  const onMapping = (next: MappingState) => {
    setMapping(next);
    setReport(null);
    setCheckedWith(null);
    setDecisions({});
  };

  const common = () => ({
    fileName: file!.name,
    contentBase64: file!.base64,
    encoding,
    ...(sheet ? { sheet } : {}),
  });

  const check = async () => {
    if (!file || profileParam === null) return;
    setBusy('check');
    setError(null);
    setDone(null);
    try {
      const result = await api.invoke('exchange.import', { ...common(), profile: profileParam, dryRun: true });
      setReport(result);
      setCheckedWith(profileParam);
      setDecisions({});
    } catch (e) {
      setError(e);
      setReport(null);
    } finally {
      setBusy(null);
    }
  };

  const write = async () => {
    if (!file || !report || checkedWith === null) return;
    const resolutions: ConflictResolution[] = report.conflicts.map((c) => ({ row: c.row, column: c.column, take: decisions[conflictKey(c.row, c.column)] ?? 'app' }));
    const jobId = job.start();
    setBusy('write');
    setError(null);
    try {
      const result = await api.invoke('exchange.import', { ...common(), profile: checkedWith, dryRun: false, resolutions, jobId });
      setDone(result);
      setReport(null);
      setCheckedWith(null);
      const pupils = result.counts.pupils;
      toast(pupils ? `Данные загружены: обучающихся создано ${pupils.created}, обновлено ${pupils.updated}` : 'Данные загружены');
    } catch (e) {
      setError(e);
    } finally {
      job.finish();
      setBusy(null);
    }
  };

  // The profile select takes the focus once the profiles are there (keyboard first).
  const sourceRef = useRef<HTMLDivElement>(null);
  const hasProfiles = list.length > 0;
  useEffect(() => {
    if (hasProfiles) sourceRef.current?.querySelector('select')?.focus();
  }, [hasProfiles]);

  if (profiles.error) return <ErrorNotice error={profiles.error} />;
  if (!profiles.data) return <Loading />;

  const accept = builtin?.fileKinds.includes('zip-json') ? '.zip,application/zip' : '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
  const sheets = preview.data?.kind === 'xlsx' ? preview.data.sheets : [];
  const locked = busy !== null;

  return (
    <div className="stack">
      <p className="muted">
        Сначала файл только проверяется: программа показывает, что будет создано, обновлено и отклонено, и ничего не записывает, пока вы не нажмёте «Загрузить».
      </p>
      <div className="form-grid exchange-source" ref={sourceRef}>
        <SelectField
          label="Профиль загрузки"
          value={profileId}
          onValue={(id) => {
            setProfileId(id);
            forget();
          }}
          options={list.map((p) => ({ value: p.id, label: p.title }))}
          disabled={locked}
          first
        />
        <div className="field">
          <label htmlFor="exchange-file">Файл</label>
          <input id="exchange-file" type="file" accept={accept} disabled={locked} onChange={(e) => void chooseFile(e.target.files?.[0])} />
          <div className="field-hint">{builtin?.fileKinds.includes('zip-json') ? 'ZIP-пакет с файлами JSON.' : 'Таблица XLSX или CSV.'}</div>
        </div>
        {builtin?.layout === 'kiasuo-package' ? (
          <div className="field">
            <label htmlFor="exchange-folder">Выбрать папку</label>
            <input id="exchange-folder" type="file" {...{ webkitdirectory: '' }} multiple disabled={locked} onChange={(e) => void chooseFolder(e.target.files)} />
            <div className="field-hint">Или папка пакета КИАСУО: только файлы .json, без вложенных папок.</div>
          </div>
        ) : null}
        {builtin?.fileKinds.includes('csv') ? (
          <SelectField
            label="Кодировка CSV"
            value={encoding}
            onValue={(next) => {
              setEncoding(next);
              forget();
            }}
            options={ENCODING_OPTIONS}
            disabled={locked}
            hint="Если вместо русских букв непонятные знаки, выберите кодировку явно. Для XLSX не важна."
          />
        ) : null}
        {sheets.length > 1 ? (
          <SelectField
            label="Лист"
            value={sheet || preview.data!.sheet}
            onValue={(next) => {
              setSheet(next);
              forget();
            }}
            options={sheets.map((s) => ({ value: s, label: s }))}
            disabled={locked}
          />
        ) : null}
      </div>
      <ErrorNotice error={fileError} />
      {file && isTable && builtin ? (
        // Old data stays in the loader while a new preview loads: never map against it.
        preview.loading ? (
          <Loading text="Читаю файл…" />
        ) : preview.error ? (
          <ErrorNotice error={preview.error} />
        ) : preview.data ? (
          <MappingStep key={`${builtin.id}:${encoding}:${preview.data.sheet}:${fileSeq}`} builtin={builtin} preview={preview.data} disabled={locked} onChange={onMapping} />
        ) : null
      ) : null}
      {file && builtin ? (
        <div className="button-row">
          <button type="button" className="btn btn-primary" onClick={() => void check()} disabled={locked || profileParam === null} aria-busy={busy === 'check' || undefined}>
            {busy === 'check' ? 'Проверяю…' : 'Проверить'}
          </button>
          {isTable && !mapping.ready && preview.data ? <span className="muted small">Исправьте сопоставление столбцов, чтобы проверить файл.</span> : null}
        </div>
      ) : null}
      <ErrorNotice error={error} />
      <ErrorNotice error={job.cancelError} />
      {report ? (
        <ImportReportView
          report={report}
          decisions={decisions}
          onDecide={(row, column, take) => setDecisions((d) => ({ ...d, [conflictKey(row, column)]: take }))}
          disabled={locked}
        />
      ) : null}
      {report ? (
        <div className="button-row">
          {busy === 'write' ? (
            <button type="button" className="btn btn-danger" onClick={job.cancel} disabled={cancelling || !job.running}>
              Прервать
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => void write()} disabled={locked}>
              Загрузить
            </button>
          )}
        </div>
      ) : null}
      {busy === 'write' ? (
        <div className="progress-block">
          <div className="progress-label" id="exchange-progress-label">
            {cancelling ? 'Прерываю…' : progress ? progress.stage : 'Подготовка…'}
            {percent !== null ? ` — ${percent}%` : ''}
          </div>
          <progress className="progress" aria-labelledby="exchange-progress-label" max={100} value={percent ?? undefined} />
          <p className="muted small">Если прервать загрузку, данные не изменятся.</p>
        </div>
      ) : null}
      {done ? (
        <Notice kind="success">
          <span data-testid="import-done">
            Загрузка файла «{done.file}» завершена. <CountsText report={done} />
          </span>{' '}
          <a href="#/pupils">Открыть «Контингент»</a>
        </Notice>
      ) : null}
    </div>
  );
}

function CountsText({ report }: { report: Report }) {
  const parts = Object.entries(report.counts).map(([entity, c]) => `${ENTITY_TITLES[entity] ?? entity}: создано ${c.created}, обновлено ${c.updated}, без изменений ${c.unchanged}`);
  return <>{parts.join('; ')}.</>;
}
