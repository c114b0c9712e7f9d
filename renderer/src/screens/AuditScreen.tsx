import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { contract, METHOD_NAMES, type AuditFilter } from '../../../common/api/contract';
import type { AuditEntry, AuditVerifyResult } from '../../../common/api/schemas';
import { ROLE_LABELS, type Role } from '../../../common/roles';
import { useApi, useLoad } from '../api/context';
import { clientErrors, ErrorNotice, Loading, Form, SelectField, TextField, useSubmit, type FormErrors } from '../components/ui';
import { countOf, formatDateTime, formatNumber } from '../format';

const PAGE_SIZE = 100;

const collator = new Intl.Collator('ru');

/** What the log calls objects, in the user's words. */
const ENTITY_LABELS: Record<string, string> = {
  user: 'Пользователь',
  school: 'Школа',
  settings: 'Настройки',
};

/** Field names that appear in the log's before/after/details. */
const KEY_LABELS: Record<string, string> = {
  login: 'логин',
  fullName: 'ФИО',
  role: 'роль',
  locked: 'заблокирован',
  failedAttempts: 'неудачных попыток',
  passwordChanged: 'пароль изменён',
  password: 'пароль',
  name: 'название',
  shortName: 'краткое название',
  address: 'адрес',
  directorName: 'директор',
  phone: 'телефон',
  email: 'e-mail',
  inn: 'ИНН',
  lockAfterMinutes: 'блокировка экрана, мин',
  reason: 'причина',
  operation: 'операция',
  seed: 'зерно',
  pupils: 'обучающихся',
  year: 'учебный год',
  counts: 'создано',
};

const METHOD_OPTIONS = [
  { value: '', label: 'Все операции' },
  ...[...METHOD_NAMES]
    .map((method) => ({ value: method as string, label: contract[method].title }))
    .sort((a, b) => collator.compare(a.label, b.label)),
];

const ENTITY_OPTIONS = [{ value: '', label: 'Все объекты' }, ...Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }))];

interface Filter {
  from: string;
  to: string;
  userLogin: string;
  method: string;
  entity: string;
}
const EMPTY_FILTER: Filter = { from: '', to: '', userLogin: '', method: '', entity: '' };

function toParams(filter: Filter): AuditFilter {
  const params: AuditFilter = { limit: PAGE_SIZE };
  if (filter.from) params.from = filter.from;
  if (filter.to) params.to = filter.to;
  if (filter.userLogin) params.userLogin = filter.userLogin;
  if (filter.method) params.method = filter.method;
  if (filter.entity) params.entity = filter.entity;
  return params;
}

interface Page {
  rows: AuditEntry[];
  total: number;
  nextBeforeId: number | null;
}

export function AuditScreen() {
  const api = useApi();
  const users = useLoad(() => api.invoke('users.list', {}));
  const [draft, setDraft] = useState<Filter>(EMPTY_FILTER);
  const [applied, setApplied] = useState<Filter>(EMPTY_FILTER);
  const [page, setPage] = useState<(Page & { filter: Filter }) | null>(null);
  const [failure, setFailure] = useState<{ filter: Filter; error: unknown } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [formErrors, setFormErrors] = useState<FormErrors>({ message: null, fields: {} });
  const request = useRef(0);

  const fetchPage = useCallback(
    (filter: Filter, beforeId: number | null) => {
      const params = toParams(filter);
      if (beforeId !== null) params.beforeId = beforeId;
      return api.invoke('audit.list', params);
    },
    [api],
  );
  const failed = useCallback((filter: Filter, error: unknown) => {
    setFailure({ filter, error });
    const fields = (error as { fields?: Record<string, string> }).fields;
    if (fields) setFormErrors({ message: null, fields });
  }, []);

  // The first page for the filter in force (keyset paging: newest first).
  useEffect(() => {
    const id = ++request.current;
    fetchPage(applied, null).then(
      (result) => {
        if (id !== request.current) return;
        setPage({ ...result, filter: applied });
        setFailure(null);
      },
      (error: unknown) => {
        if (id === request.current) failed(applied, error);
      },
    );
  }, [applied, fetchPage, failed]);

  const loadMore = () => {
    if (!page || page.nextBeforeId === null) return;
    const id = ++request.current;
    const filter = page.filter;
    setLoadingMore(true);
    fetchPage(filter, page.nextBeforeId)
      .then(
        (result) => {
          if (id !== request.current) return;
          setPage((previous) =>
            previous && previous.filter === filter
              ? { ...previous, rows: [...previous.rows, ...result.rows], total: result.total, nextBeforeId: result.nextBeforeId }
              : previous,
          );
          setFailure(null);
        },
        (error: unknown) => {
          if (id === request.current) failed(filter, error);
        },
      )
      .finally(() => setLoadingMore(false));
  };

  const error = failure && failure.filter === applied ? failure.error : null;
  const loadingFirst = page?.filter !== applied && !error;

  const apply = () => {
    const local = clientErrors({ to: draft.from && draft.to && draft.to < draft.from ? 'дата «по» раньше даты «с»' : null });
    if (local) return setFormErrors(local);
    setFormErrors({ message: null, fields: {} });
    setApplied({ ...draft });
  };
  const reset = () => {
    setFormErrors({ message: null, fields: {} });
    setDraft(EMPTY_FILTER);
    setApplied(EMPTY_FILTER);
  };
  const set = (key: keyof Filter) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const userOptions = [
    { value: '', label: 'Все пользователи' },
    ...(users.data?.users ?? []).map((u) => ({ value: u.login, label: `${u.login} — ${u.fullName}` })),
  ];
  if (draft.userLogin && !userOptions.some((o) => o.value === draft.userLogin)) userOptions.push({ value: draft.userLogin, label: draft.userLogin });

  return (
    <div className="stack">
      <VerifyPanel />
      <Form className="filters panel" onSubmit={apply} aria-label="Отбор записей журнала">
        <TextField label="Дата с" type="date" value={draft.from} onValue={set('from')} error={formErrors.fields.from} />
        <TextField label="Дата по" type="date" value={draft.to} onValue={set('to')} error={formErrors.fields.to} />
        <SelectField label="Пользователь" value={draft.userLogin} onValue={set('userLogin')} options={userOptions} />
        <SelectField label="Операция" value={draft.method} onValue={set('method')} options={METHOD_OPTIONS} />
        <SelectField label="Объект" value={draft.entity} onValue={set('entity')} options={ENTITY_OPTIONS} />
        <div className="filters-actions button-row">
          <button type="submit" className="btn btn-primary">
            Найти
          </button>
          <button type="button" className="btn" onClick={reset}>
            Сбросить
          </button>
        </div>
      </Form>
      <ErrorNotice error={error} />
      {page ? (
        <>
          <p className="table-summary" role="status">
            {loadingFirst
              ? 'Загрузка…'
              : page.total === 0
              ? 'Записей по этим условиям нет.'
              : `Найдено: ${countOf(page.total, ['запись', 'записи', 'записей'])}. Показано: ${formatNumber(page.rows.length)}, сначала новые.`}
          </p>
          {page.rows.length > 0 ? (
            <div className="table-wrap">
              <table className="data-table audit-table">
                <thead>
                  <tr>
                    <th scope="col">Время</th>
                    <th scope="col">Пользователь</th>
                    <th scope="col">Действие</th>
                    <th scope="col">Объект</th>
                    <th scope="col">Подробности</th>
                  </tr>
                </thead>
                <tbody>
                  {page.rows.map((entry) => (
                    <AuditRow key={entry.id} entry={entry} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {page.nextBeforeId !== null ? (
            <div className="more-row">
              <button type="button" className="btn" disabled={loadingMore || loadingFirst} onClick={loadMore}>
                {loadingMore ? 'Загрузка…' : `Показать ещё ${Math.min(PAGE_SIZE, page.total - page.rows.length)}`}
              </button>
            </div>
          ) : null}
        </>
      ) : loadingFirst ? (
        <Loading />
      ) : null}
    </div>
  );
}

/* ------------------------------------------------------------------ a row */

interface Change {
  key: string;
  text: string;
}

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (key === 'role' && typeof value === 'string' && value in ROLE_LABELS) return ROLE_LABELS[value as Role];
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => formatValue('', v)).join(', ');
  if (typeof value === 'object') {
    return orderedEntries(value as Record<string, unknown>)
      .map(([k, v]) => `${KEY_LABELS[k] ?? k}: ${formatValue(k, v)}`)
      .join(', ');
  }
  return String(value);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const KEY_ORDER = Object.keys(KEY_LABELS);
/** Known fields in a sensible order (логин, ФИО, роль…), then the rest as stored. */
function orderedKeys(keys: Iterable<string>): string[] {
  const rank = (key: string) => {
    const i = KEY_ORDER.indexOf(key);
    return i === -1 ? KEY_ORDER.length : i;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

function orderedEntries(record: Record<string, unknown>): [string, unknown][] {
  return orderedKeys(Object.keys(record)).map((key) => [key, record[key]]);
}

/** Before/after as "field: old → new" for what changed; lone values as "field: value". */
function describe(entry: AuditEntry): Change[] {
  const changes: Change[] = [];
  const label = (key: string) => KEY_LABELS[key] ?? key;
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  if (before && after) {
    for (const key of orderedKeys(new Set([...Object.keys(before), ...Object.keys(after)]))) {
      const a = JSON.stringify(before[key]);
      const b = JSON.stringify(after[key]);
      if (a === b) continue;
      changes.push({ key, text: `${label(key)}: ${formatValue(key, before[key])} → ${formatValue(key, after[key])}` });
    }
    if (changes.length === 0) changes.push({ key: '', text: 'без изменений' });
  } else if (after) {
    for (const [key, value] of orderedEntries(after)) changes.push({ key, text: `${label(key)}: ${formatValue(key, value)}` });
  } else if (before) {
    for (const [key, value] of orderedEntries(before)) changes.push({ key, text: `было — ${label(key)}: ${formatValue(key, value)}` });
  } else if (entry.before !== null || entry.after !== null) {
    changes.push({ key: '', text: formatValue('', entry.after ?? entry.before) });
  }
  const details = asRecord(entry.details);
  if (details) {
    for (const [key, value] of orderedEntries(details)) changes.push({ key, text: `${label(key)}: ${formatValue(key, value)}` });
  } else if (entry.details !== null && entry.details !== undefined) {
    changes.push({ key: '', text: formatValue('', entry.details) });
  }
  return changes;
}

const COMPACT_ITEMS = 2;
const COMPACT_CHARS = 140;

const AuditRow = memo(function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const changes = describe(entry);
  const compact = changes.slice(0, COMPACT_ITEMS).map((c) => c.text).join('; ');
  const expandable = changes.length > COMPACT_ITEMS || compact.length > COMPACT_CHARS;
  const entity = entry.entity ? `${ENTITY_LABELS[entry.entity] ?? entry.entity}${entry.entityId ? ` № ${entry.entityId}` : ''}` : '—';
  return (
    <tr>
      <td className="nowrap mono-digits">{formatDateTime(entry.at)}</td>
      <td className="mono">{entry.userLogin ?? <span className="muted">—</span>}</td>
      <td>{entry.action}</td>
      <td className="nowrap">{entity}</td>
      <td className="details-cell">
        {open ? (
          <ul className="details-list">
            {changes.map((c, i) => (
              <li key={i}>{c.text}</li>
            ))}
          </ul>
        ) : (
          <span className="details-compact">{compact.length > COMPACT_CHARS ? `${compact.slice(0, COMPACT_CHARS)}…` : compact}</span>
        )}
        {expandable ? (
          <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Свернуть' : `Подробнее (${changes.length})`}
          </button>
        ) : null}
      </td>
    </tr>
  );
});

/* --------------------------------------------------------------- integrity */

function VerifyPanel() {
  const api = useApi();
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const { busy, errors, run } = useSubmit();
  const verify = () =>
    void run(async () => {
      setResult(null);
      setResult(await api.invoke('audit.verify', {}));
    });
  return (
    <div className="verify-panel">
      <div className="toolbar">
        <p className="muted toolbar-text">
          Журнал фиксирует каждый вход и каждое изменение. Записи связаны в цепочку: правка или удаление любой из них обнаруживается проверкой.
        </p>
        <button type="button" className="btn" onClick={verify} disabled={busy}>
          {busy ? 'Проверка…' : 'Проверить целостность'}
        </button>
      </div>
      <ErrorNotice>{errors.message}</ErrorNotice>
      {result ? <VerifyResult result={result} /> : null}
    </div>
  );
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  if (result.ok) {
    return (
      <div className="notice notice-success" role="status">
        Журнал цел: {countOf(result.entries, ['запись', 'записи', 'записей'])}. Ни одна запись не изменена и не удалена.
      </div>
    );
  }
  const broken = result.firstBroken;
  return (
    <div className="notice notice-error" role="alert">
      <strong>Целостность журнала нарушена.</strong>{' '}
      {broken ? `Первая повреждённая запись — № ${broken.id}: ${broken.reason}.` : ''} Проверено записей до повреждения:{' '}
      {formatNumber(result.entries)}.
      <br />
      Это значит, что файл базы изменяли в обход программы: записи журнала после этого места нельзя считать достоверными. Не исправляйте
      базу сами: сообщите директору, сохраните копию текущего файла базы и восстановите базу из последней резервной копии, сделанной до
      повреждения.
    </div>
  );
}

