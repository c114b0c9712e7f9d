import { useEffect, useRef, useState } from 'react';
import { roleMayCall, type BlockedHolder, type CodeRow, type CodesImportReport, type Result } from '../../../../common/api/contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { ConfirmDialog, Dialog, DialogActions, EmptyState, ErrorNotice, Kbd, Loading, Notice, SelectField, useToast } from '../../components/ui';
import { countOf, formatDateTime, formatIsoDate } from '../../format';
import { readBase64 } from '../../files';
import { PdfButton } from '../contingent/common';
import { RejectedTable, WarningsTable } from '../exchange/ImportReportView';
import { ExtractsPanel } from './ExtractsPanel';

/** Our own words for the states (the list never shows the codes themselves). */
const STATUS_LABELS: Record<CodeRow['status'], string> = {
  new: 'новый',
  issued: 'выдан',
  revoked: 'отозван',
  disclosed: 'разглашён',
};

const isActive = (row: CodeRow) => row.status === 'new' || row.status === 'issued';
const holderKey = (row: CodeRow) => `${row.holderKind}:${row.pupilId}:${row.guardianId ?? ''}`;

function roleText(row: CodeRow): string {
  return row.holderKind === 'guardian' ? `${row.role} — ${row.pupil}` : row.role;
}

type Action = { kind: 'issued' | 'lost' | 'disclosed' | 'reissue'; row: CodeRow };

/** «Коды доступа»: the codes of a class (holders and states only), loading, creating, printing, marks. */
export function CodesScreen() {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const mayWrite = roleMayCall('codes.mark', user.role);
  const mayImport = roleMayCall('codes.import', user.role);
  const mayGenerate = roleMayCall('codes.generate', user.role);
  const mayPrint = roleMayCall('codes.print', user.role);

  const classes = useLoad(() => api.invoke('classes.list', {}));
  const [chosen, setChosen] = useState('');
  const classList = classes.data?.classes ?? [];
  const classId = chosen || (classList[0] ? String(classList[0].id) : '');
  const codes = useLoad(() => (classId ? api.invoke('codes.list', { classId: Number(classId) }) : Promise.resolve(null)), classId);
  const rows = codes.data?.rows ?? [];
  const activeHolders = new Set(rows.filter(isActive).map(holderKey));

  // The class selector takes the focus once the classes are there (keyboard first).
  const filtersRef = useRef<HTMLDivElement>(null);
  const hasClasses = classList.length > 0;
  useEffect(() => {
    if (hasClasses) filtersRef.current?.querySelector('select')?.focus();
  }, [hasClasses]);

  const [importing, setImporting] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const [generated, setGenerated] = useState<Result<'codes.generate'> | null>(null);
  const [generating, setGenerating] = useState(false);
  const blocked = codes.data?.blocked ?? [];

  if (classes.error) return <ErrorNotice error={classes.error} />;
  if (!classes.data) return <Loading />;
  if (classList.length === 0) {
    return (
      <EmptyState title="Классов пока нет">
        <p>Коды доступа выдаются по классам. Сначала откройте учебный год: создайте классы и зачислите обучающихся (разделы «Учебный год» и «Контингент»).</p>
      </EmptyState>
    );
  }

  const classOptions = classList.map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils})` }));
  const chosenClass = classList.find((c) => String(c.id) === classId);

  return (
    <div className="stack">
      <div className="filters" ref={filtersRef}>
        <SelectField
          label="Класс"
          value={classId}
          onValue={(id) => {
            setChosen(id);
            setGenerated(null);
          }}
          options={classOptions}
          first
          hint={chosenClass ? `${chosenClass.yearName} учебный год` : undefined}
        />
      </div>
      {mayImport || mayGenerate || mayPrint ? (
        <div className="toolbar">
          <div className="button-row">
            {mayImport ? (
              <button type="button" className="btn" onClick={() => setImporting(true)}>
                Загрузить коды из файла…
              </button>
            ) : null}
            {mayGenerate ? (
              <button type="button" className="btn" onClick={() => setGenerating(true)} disabled={!classId}>
                Создать коды для класса…
              </button>
            ) : null}
            {mayPrint && classId ? <CodesPrintButton classId={Number(classId)} disabled={rows.length === 0} /> : null}
          </div>
          <span className="shortcut-hint" aria-hidden="true">
            <Kbd>Tab</Kbd> — к кнопкам строки, <Kbd>Enter</Kbd> — выполнить
          </span>
        </div>
      ) : null}
      {generated ? (
        <Notice kind="success">
          <span data-testid="generated">
            Создано кодов: {generated.created} (обучающимся — {generated.pupils}, представителям — {generated.guardians}).
          </span>{' '}
          {generated.created === 0 ? 'У всех обучающихся и представителей класса уже есть действующие коды. ' : ''}
          {generated.skippedRefused > 0
            ? `Пропущено представителей: ${generated.skippedRefused} — они отказались от электронного доступа (дневник им выдаётся на бумаге). `
            : ''}
          {generated.skippedNoConsent > 0
            ? `Без кода из-за отсутствия согласия на обработку данных: ${generated.skippedNoConsent} — запишите согласие в разделе «Согласия» и создайте коды снова.`
            : ''}
          {generated.skippedRefused + generated.skippedNoConsent === 0 ? 'Пропущенных нет.' : ''}
        </Notice>
      ) : null}
      <ErrorNotice error={codes.error} />
      {codes.data ? (
        rows.length === 0 ? (
          <EmptyState title={`Для класса ${codes.data.classLabel} кодов ещё нет`}>
            {mayImport ? (
              <p>
                Загрузите список кодов, полученный из региональной системы, кнопкой «Загрузить коды из файла…»
                {mayGenerate ? ' или создайте коды кнопкой «Создать коды для класса».' : '.'}
              </p>
            ) : (
              <p>Коды загружает из файла региональной системы секретарь или администратор.</p>
            )}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data-table" id="codes-table" aria-busy={codes.loading || undefined}>
              <caption className="table-caption">
                Коды доступа класса {codes.data.classLabel}: {countOf(rows.length, ['запись', 'записи', 'записей'])}, действующих — {rows.filter(isActive).length}. Сами
                коды здесь не показываются: они есть только на печатных листках.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Владелец (ФИО)</th>
                  <th scope="col">Роль</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Действует до</th>
                  <th scope="col">Выдан</th>
                  {mayWrite ? <th scope="col">Действия</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className={isActive(row) ? '' : 'row-left'}>
                    <td>{row.holder}</td>
                    <td>{roleText(row)}</td>
                    <td data-testid="code-status">
                      {STATUS_LABELS[row.status]}
                      {row.revokeReason && !isActive(row) ? <span className="muted small"> ({row.revokeReason})</span> : null}
                      {row.disclosedAt ? (
                        <span className="small disclosed-note">
                          {' '}
                          с {formatDateTime(row.disclosedAt, false)}: действия с этим кодом после сообщения о разглашении недействительны
                        </span>
                      ) : null}
                    </td>
                    <td className="nowrap">{row.validUntil ? formatIsoDate(row.validUntil) : 'бессрочно'}</td>
                    <td className="nowrap">{row.issuedAt ? formatDateTime(row.issuedAt, false) : '—'}</td>
                    {mayWrite ? (
                      <td>
                        <RowActions row={row} mayReissue={isActive(row) || !activeHolders.has(holderKey(row))} onAction={setAction} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : codes.error ? null : (
        <Loading />
      )}
      {blocked.length > 0 ? <BlockedList rows={blocked} /> : null}
      {/* Families without codes get paper instead: below the codes, for the same class. */}
      <ExtractsPanel classId={classId ? Number(classId) : null} />
      {generating && classId ? (
        <GenerateDialog
          classId={Number(classId)}
          classLabel={chosenClass?.label ?? ''}
          onClose={() => setGenerating(false)}
          onDone={(result) => {
            setGenerating(false);
            setGenerated(result);
            codes.reload();
          }}
        />
      ) : null}
      {action ? (
        <ActionDialog
          action={action}
          onClose={() => setAction(null)}
          onDone={(text) => {
            setAction(null);
            toast(text);
            codes.reload();
          }}
        />
      ) : null}
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onDone={() => {
            setImporting(false);
            codes.reload();
          }}
        />
      ) : null}
    </div>
  );
}

/* ------------------------------------------------------------ row actions */

/**
 * The everyday action («Выдан») stays one keystroke away; the rare ones (lost, disclosed,
 * re-issue) sit behind «Ещё…», so a long list stays readable.
 */
function RowActions({ row, mayReissue, onAction }: { row: CodeRow; mayReissue: boolean; onAction(action: Action): void }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const pick = (kind: Action['kind']) => {
    if (menu.current) menu.current.open = false;
    onAction({ kind, row });
  };
  const rare: { kind: Action['kind']; label: string; danger?: boolean }[] = [];
  if (isActive(row)) rare.push({ kind: 'lost', label: 'Утерян' }, { kind: 'disclosed', label: 'Разглашён', danger: true });
  if (mayReissue) rare.push({ kind: 'reissue', label: 'Перевыпустить' });
  return (
    <div className="row-actions">
      {row.status === 'new' ? (
        <button type="button" className="btn btn-small" onClick={() => pick('issued')}>
          Выдан
        </button>
      ) : null}
      {rare.length > 0 ? (
        <details className="row-menu" ref={menu}>
          <summary className="btn btn-small" aria-label={`Ещё действия с кодом: ${row.holder}`}>
            Ещё…
          </summary>
          <div className="row-menu-list">
            {rare.map((item) => (
              <button key={item.kind} type="button" className={`btn btn-small${item.danger ? ' btn-danger-quiet' : ''}`} onClick={() => pick(item.kind)}>
                {item.label}
              </button>
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}

/** Who of the class gets no code and why: the secretary sees what to collect before printing. */
function BlockedList({ rows }: { rows: BlockedHolder[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Код не выдаётся">
        <caption className="table-caption">
          Код не выдаётся ({rows.length}): листок для этих лиц не печатается, пока не записано согласие (раздел «Согласия»); при отказе от электронного дневника семье
          печатается выписка на бумаге.
        </caption>
        <thead>
          <tr>
            <th scope="col">ФИО</th>
            <th scope="col">Кто</th>
            <th scope="col">Причина</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={`${b.holderKind}:${b.pupilId}:${b.guardianId ?? ''}`}>
              <td>{b.holder}</td>
              <td>{b.holderKind === 'guardian' ? `представитель — ${b.pupil}` : 'обучающийся'}</td>
              <td>{b.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Codes for everyone of the class who has none and may have one, valid until the chosen date. */
function GenerateDialog({ classId, classLabel, onClose, onDone }: { classId: number; classLabel: string; onClose(): void; onDone(result: Result<'codes.generate'>): void }) {
  const api = useApi();
  const [validUntil, setValidUntil] = useState(defaultValidUntil());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.invoke('codes.generate', { classId, ...(validUntil ? { validUntil } : {}) }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Создание кодов для ${classLabel} класса`} onClose={onClose} closable={!busy}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="dialog-text">
          Коды создаются тем обучающимся и представителям класса, у кого нет действующего кода. Представителям, отказавшимся от электронного дневника или не давшим
          согласия на обработку данных, код не создаётся.
        </p>
        <div className="field">
          <label className="field-label" htmlFor="codes-valid-until">
            Действует до
          </label>
          <input id="codes-valid-until" type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} autoFocus disabled={busy} />
          <p className="field-hint">Дата печатается на листке. Оставьте пустой, если срок не ограничен.</p>
        </div>
        <ErrorNotice error={error} />
        <DialogActions>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Создаю коды…' : 'Создать коды'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** The end of the school year in progress: codes are usually issued for it. */
function defaultValidUntil(): string {
  const now = new Date();
  const year = now.getMonth() >= 6 ? now.getFullYear() + 1 : now.getFullYear();
  return `${year}-06-30`;
}

function ActionDialog({ action, onClose, onDone }: { action: Action; onClose(): void; onDone(text: string): void }) {
  const api = useApi();
  const { row } = action;
  const who = row.holderKind === 'guardian' ? `${row.holder} (${row.role}, ребёнок ${row.pupil})` : `${row.holder} (обучающийся)`;
  const texts = {
    issued: {
      title: 'Отметить выдачу кода',
      text: <p>Код для {who} выдан под подпись в ведомости выдачи?</p>,
      confirm: 'Отметить выданным',
      done: `Код для ${row.holder} отмечен выданным`,
      danger: false,
    },
    lost: {
      title: 'Код утерян',
      text: (
        <>
          <p>Отметить код для {who} как утерянный?</p>
          <p>
            <strong>Код перестанет действовать</strong> сразу и навсегда. Чтобы выдать новый, нажмите затем «Перевыпустить».
          </p>
        </>
      ),
      confirm: 'Код утерян',
      done: `Код для ${row.holder} отозван как утерянный`,
      danger: true,
    },
    disclosed: {
      title: 'Код разглашён',
      text: (
        <>
          <p>Отметить код для {who} как разглашённый (стал известен посторонним)?</p>
          <p>
            <strong>Код перестанет действовать</strong> сразу и навсегда; все действия, совершённые с ним после этого сообщения, считаются недействительными.
            О разглашении нужно сообщить в течение одного рабочего дня. Новый код — кнопкой «Перевыпустить».
          </p>
        </>
      ),
      confirm: 'Код разглашён',
      done: `Код для ${row.holder} отозван как разглашённый`,
      danger: true,
    },
    reissue: {
      title: 'Перевыпуск кода',
      text: (
        <>
          <p>Выпустить новый код для {who}?</p>
          <p>
            {isActive(row) ? 'Нынешний код перестанет действовать. ' : ''}Новый код нужно будет распечатать («Печать: листки с кодами и ведомость») и выдать под
            подпись.
          </p>
        </>
      ),
      confirm: 'Перевыпустить',
      done: `Для ${row.holder} выпущен новый код: распечатайте листок`,
      danger: false,
    },
  }[action.kind];
  return (
    <ConfirmDialog
      title={texts.title}
      text={texts.text}
      confirmLabel={texts.confirm}
      danger={texts.danger}
      onClose={onClose}
      onConfirm={async () => {
        if (action.kind === 'reissue') await api.invoke('codes.reissue', { codeId: row.id });
        else await api.invoke('codes.mark', { codeId: row.id, status: action.kind });
        onDone(texts.done);
      }}
    />
  );
}

/* ---------------------------------------------------------------- printing */

/** Slips and the issue register: the only place the codes appear (in the PDF, never on screen). */
function CodesPrintButton({ classId, disabled }: { classId: number; disabled?: boolean }) {
  const api = useApi();
  return (
    <PdfButton
      label="Печать: листки с кодами и ведомость"
      printKey={String(classId)}
      disabled={disabled}
      print={() => api.invoke('codes.print', { classId })}
    />
  );
}

/* ------------------------------------------------------------------ import */

type Encoding = 'auto' | 'utf-8' | 'windows-1251';
const ENCODING_OPTIONS: { value: Encoding; label: string }[] = [
  { value: 'auto', label: 'определить автоматически' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1251', label: 'Windows-1251' },
];

/** Two steps: a dry run that writes nothing and shows the report, then «Загрузить» writes. */
function ImportDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [report, setReport] = useState<CodesImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const check = async (chosen: { name: string; base64: string } | File | undefined, as: Encoding = encoding) => {
    setReport(null);
    setError(null);
    setFile(null);
    if (!chosen) return;
    setBusy(true);
    try {
      const read = chosen instanceof File ? { name: chosen.name, base64: await readBase64(chosen) } : chosen;
      setFile(read);
      setReport(await api.invoke('codes.import', { fileName: read.name, contentBase64: read.base64, dryRun: true, encoding: as }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const write = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const done = await api.invoke('codes.import', { fileName: file.name, contentBase64: file.base64, dryRun: false, encoding });
      const c = done.counts.codes;
      toast(`Коды загружены: новых ${c.created}, обновлено ${c.updated}, без изменений ${c.unchanged}, отклонено строк ${done.rejected.length}`);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const counts = report?.counts.codes;
  const toWrite = counts ? counts.created + counts.updated : 0;
  return (
    <Dialog title="Загрузка кодов из файла" onClose={onClose} closable={!busy} className="dialog-wide">
      <p className="dialog-text">
        Выберите файл со списком кодов из региональной системы (.xlsx или .csv; столбцы: Класс, Фамилия, Имя, Отчество, Дата рождения, Роль, Представитель, Код).
        Сначала файл только проверяется — ничего не записывается, пока вы не нажмёте «Загрузить».
      </p>
      <div className="field">
        <label className="field-label" htmlFor="codes-file">
          Файл с кодами
        </label>
        <input
          id="codes-file"
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          disabled={busy}
          onChange={(e) => void check(e.target.files?.[0])}
        />
      </div>
      <SelectField
        label="Кодировка CSV"
        value={encoding}
        onValue={(next) => {
          setEncoding(next);
          if (file) void check(file, next);
        }}
        options={ENCODING_OPTIONS}
        disabled={busy}
        hint="Если в отчёте вместо русских букв непонятные знаки, выберите кодировку явно. Для XLSX не важна."
      />
      {busy && !report ? <Loading text="Проверяю файл…" /> : null}
      <ErrorNotice error={error} />
      {report && counts ? (
        <div className="stack" data-testid="import-report">
          <Notice kind={report.rejected.length ? 'warning' : 'info'}>
            Проверка файла «{report.file}» (ничего не записано): будет создано кодов — {counts.created}, обновлено — {counts.updated}, без изменений —{' '}
            {counts.unchanged}, отклонено строк — {report.rejected.length}.
          </Notice>
          <table className="data-table" aria-label="Итог проверки">
            <tbody>
              <tr>
                <th scope="row">Новых кодов</th>
                <td>{counts.created}</td>
              </tr>
              <tr>
                <th scope="row">Обновлённых</th>
                <td>{counts.updated}</td>
              </tr>
              <tr>
                <th scope="row">Без изменений</th>
                <td>{counts.unchanged}</td>
              </tr>
            </tbody>
          </table>
          {report.rejected.length ? (
            <div className="table-wrap">
              <RejectedTable
                rows={report.rejected}
                caption={
                  <>
                    Отклонённые строки (не будут загружены)
                    {report.rejectedFile ? (
                      <>
                        {' '}
                        <a className="btn btn-small" download={report.rejectedFile.fileName} href={`data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${report.rejectedFile.contentBase64}`}>
                          Скачать отклонённые строки (XLSX)
                        </a>
                      </>
                    ) : null}
                  </>
                }
              />
            </div>
          ) : null}
          <WarningsTable warnings={report.warnings} caption="Предупреждения" />
          {toWrite === 0 ? <p className="muted">Загружать нечего: исправьте файл и выберите его снова.</p> : null}
        </div>
      ) : null}
      <DialogActions hint={false}>
        <button type="button" className="btn" onClick={onClose} disabled={busy}>
          Отмена
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void write()} disabled={busy || !report || toWrite === 0}>
          Загрузить
        </button>
      </DialogActions>
    </Dialog>
  );
}
