import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { ErrorNotice, Kbd, Loading, SelectField, TextField } from '../../components/ui';
import { countOf, formatIsoDate } from '../../format';
import { AdmissionWizard } from './AdmissionWizard';
import { fullName, PrintButton, todayIso, useDebounced } from './common';
import { PupilCardView } from './PupilCard';

/** «Контингент»: search as you type, class lists as of any day, the pupil's card, admission. */
export function PupilsScreen() {
  const api = useApi();
  const { user } = useSession();
  const [query, setQuery] = useState('');
  const [classId, setClassId] = useState('');
  const [date, setDate] = useState(todayIso());
  const [showLeft, setShowLeft] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const settled = useDebounced(query.trim(), 150);
  const mayAdmit = roleMayCall('movement.admit', user.role);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIso();

  const classes = useLoad(() => api.invoke('classes.list', { date: day }), day);
  const params = {
    ...(settled ? { query: settled } : {}),
    ...(classId ? { classId: Number(classId) } : {}),
    date: day,
    includeNotEnrolled: showLeft,
    limit: 500,
  };
  const key = JSON.stringify(params);
  const list = useLoad(() => api.invoke('pupils.search', params), key);
  const rows = list.data?.rows ?? [];

  // The cursor belongs to one result list: a new search starts at the top.
  const [cursor, setCursor] = useState({ key: '', index: 0 });
  const active = cursor.key === key ? cursor.index : 0;
  const setActive = (next: (i: number) => number) => setCursor({ key, index: next(active) });
  useEffect(() => {
    document.querySelector(`[data-row-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent) => {
    // Keys inside dialogs, buttons and links keep their own meaning.
    if ((event.target as HTMLElement).closest('dialog, button, a')) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, rows.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && rows[active]) {
      event.preventDefault();
      setOpenId(rows[active].id);
    }
  };

  if (openId !== null) {
    return (
      <PupilCardView
        pupilId={openId}
        onBack={() => {
          setOpenId(null);
          list.reload();
          window.setTimeout(() => searchRef.current?.focus(), 0);
        }}
      />
    );
  }

  const classOptions = [
    { value: '', label: 'Все классы' },
    ...(classes.data?.classes ?? []).map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils})` })),
  ];

  return (
    <div className="stack" onKeyDown={onKeyDown}>
      <div className="filters pupils-filters">
        <TextField
          ref={searchRef}
          label="Поиск"
          type="search"
          value={query}
          onValue={setQuery}
          first
          autoComplete="off"
          hint="Начало фамилии, СНИЛС или № личного дела (К/15)"
          aria-controls="pupils-table"
        />
        <SelectField label="Класс" value={classId} onValue={setClassId} options={classOptions} />
        <TextField label="На дату" type="date" value={date} onValue={setDate} />
        <label className="checkbox-field">
          <input type="checkbox" checked={showLeft} onChange={(e) => setShowLeft(e.target.checked)} /> показать выбывших
        </label>
      </div>
      <div className="toolbar">
        <div className="button-row">
          {mayAdmit ? (
            <button type="button" className="btn btn-primary" onClick={() => setAdmitting(true)}>
              Зачислить…
            </button>
          ) : null}
          {classId ? <PrintButton label="Список класса" document={{ kind: 'classList', classId: Number(classId), date: day }} /> : null}
          <PrintButton label="Алфавитная книга" document={{ kind: 'alphabetBook' }} />
        </div>
        <span className="shortcut-hint" aria-hidden="true">
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> — выбор, <Kbd>Enter</Kbd> — открыть карточку
        </span>
      </div>
      <ErrorNotice error={list.error ?? classes.error} />
      {list.data ? (
        <div className="table-wrap">
          <table className="data-table pupils-table" id="pupils-table" aria-busy={list.loading || undefined}>
            <caption className="table-caption">
              {list.data.total > rows.length
                ? `Показаны ${rows.length} из ${countOf(list.data.total, ['обучающегося', 'обучающихся', 'обучающихся'])} — уточните поиск`
                : countOf(list.data.total, ['обучающийся', 'обучающихся', 'обучающихся'])}{' '}
              на {formatIsoDate(list.data.date)}
            </caption>
            <thead>
              <tr>
                <th scope="col">ФИО</th>
                <th scope="col">Дата рождения</th>
                <th scope="col">Класс</th>
                <th scope="col">№ личного дела</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr
                  key={row.id}
                  data-row-index={index}
                  aria-selected={index === active}
                  className={`${index === active ? 'row-active' : ''}${row.enrolled ? '' : ' row-left'}`}
                  onClick={() => setActive(() => index)}
                  onDoubleClick={() => setOpenId(row.id)}
                >
                  <td>
                    <button type="button" className="link-button" tabIndex={-1} onClick={() => setOpenId(row.id)}>
                      {fullName(row)}
                    </button>
                    {row.enrolled ? null : <span className="tag">выбыл(а)</span>}
                  </td>
                  <td className="nowrap">{formatIsoDate(row.birthDate)}</td>
                  <td>{row.class ?? ''}</td>
                  <td className="mono">{row.fileNo ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">Никого не нашлось.</p> : null}
        </div>
      ) : list.error ? null : (
        <Loading />
      )}
      {admitting ? (
        <AdmissionWizard
          onClose={() => setAdmitting(false)}
          onDone={() => list.reload()}
          onOpenCard={(id) => {
            setAdmitting(false);
            setOpenId(id);
          }}
        />
      ) : null}
    </div>
  );
}
