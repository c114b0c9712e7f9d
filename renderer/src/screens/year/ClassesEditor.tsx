import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { CellInput, CellSelect, NEW_STAFF, NewStaffInline, RemoveCell, staffOptions, type Staff } from './cells';
import { defaultScheme, draftLabel, emptyClass, SCHEME_LABELS, SCHEMES, type DraftClass, type Scheme } from './draft';

const PARALLELS = [{ value: '', label: '—' }, ...Array.from({ length: 11 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }))];
const SCHEME_OPTIONS = SCHEMES.map((s) => ({ value: s, label: SCHEME_LABELS[s] }));

/**
 * «Классы»: parallel, letter, period scheme and class teacher of every class of the year, a row
 * each. Tab goes through the cells; Enter in a row adds a new row below and puts the cursor in
 * its parallel. The class teacher comes from the staff list, or «+ новый сотрудник» adds one on
 * the spot.
 */
export function ClassesEditor({
  value,
  onChange,
  staff,
  onStaffAdded,
  errors,
  readOnly,
}: {
  value: DraftClass[];
  onChange(next: DraftClass[]): void;
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  errors: Record<string, string>;
  readOnly: boolean;
}) {
  const [newStaffFor, setNewStaffFor] = useState<string | null>(null);
  // The row whose first cell takes the focus after the next render (a row just added).
  const focusKey = useRef<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const key = focusKey.current;
    if (!key) return;
    focusKey.current = null;
    tableRef.current?.querySelector<HTMLElement>(`tr[data-key="${key}"] select, tr[data-key="${key}"] input`)?.focus();
  });
  const setFocusKey = (key: string) => {
    focusKey.current = key;
  };

  const set = (key: string, patch: Partial<DraftClass>) => onChange(value.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const addAfter = (key: string | null) => {
    const index = key ? value.findIndex((c) => c.key === key) : value.length - 1;
    const from = value[index];
    // Enter in a row: the next row most often continues the same parallel (5А, 5Б, …).
    const row = emptyClass(key ? (from?.parallel ?? '') : '', '');
    const next = [...value];
    next.splice(index + 1, 0, row);
    onChange(next);
    setFocusKey(row.key);
  };
  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, key: string) => {
    if (event.key !== 'Enter' || event.target instanceof HTMLButtonElement) return;
    event.preventDefault();
    event.stopPropagation();
    addAfter(key);
  };

  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="data-table year-table" aria-label="Классы" ref={tableRef}>
          <thead>
            <tr>
              <th scope="col">Параллель</th>
              <th scope="col">Литера</th>
              <th scope="col">Класс</th>
              <th scope="col">Схема периодов</th>
              <th scope="col">Классный руководитель</th>
              <th scope="col">Обучающихся</th>
              {readOnly ? null : <th scope="col"><span className="visually-hidden">Действия</span></th>}
            </tr>
          </thead>
          <tbody>
            {value.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  Классов нет.{readOnly ? '' : ' Добавьте первый кнопкой «Добавить класс».'}
                </td>
              </tr>
            ) : null}
            {value.map((c, i) => {
              const label = c.parallel || c.letter ? draftLabel(c) : `строка ${i + 1}`;
              const e = (field: string) => errors[`classes.${c.key}.${field}`];
              return (
                <tr key={c.key} data-key={c.key} onKeyDown={(event) => onRowKey(event, c.key)}>
                  <td>
                    <CellSelect
                      label={`Параллель: ${label}`}
                      value={c.parallel}
                      onValue={(v) => set(c.key, { parallel: v, ...(c.id ? {} : { periodScheme: defaultScheme(Number(v) || 1) }) })}
                      options={PARALLELS}
                      error={e('parallel')}
                      readOnly={readOnly}
                    />
                  </td>
                  <td>
                    <CellInput label={`Литера: ${label}`} value={c.letter} onValue={(v) => set(c.key, { letter: v.toUpperCase() })} error={e('letter')} readOnly={readOnly} className="year-letter" />
                  </td>
                  <td>
                    <strong>{c.parallel && c.letter ? draftLabel(c) : '—'}</strong>
                  </td>
                  <td>
                    <CellSelect<Scheme> label={`Схема периодов: ${label}`} value={c.periodScheme} onValue={(v) => set(c.key, { periodScheme: v })} options={SCHEME_OPTIONS} error={e('periodScheme')} readOnly={readOnly} />
                  </td>
                  <td>
                    <CellSelect
                      label={`Классный руководитель: ${label}`}
                      value={c.classTeacherId}
                      onValue={(v) => {
                        if (v === NEW_STAFF) setNewStaffFor(c.key);
                        else set(c.key, { classTeacherId: v });
                      }}
                      options={staffOptions(staff, c.classTeacherId, '— не назначен —', !readOnly)}
                      error={e('classTeacherId')}
                      readOnly={readOnly}
                    />
                  </td>
                  <td className="mono-digits">{c.pupils}</td>
                  {readOnly ? null : (
                    <RemoveCell
                      label={`Удалить класс ${label}`}
                      disabled={c.pupils > 0}
                      title={c.pupils > 0 ? 'В классе есть обучающиеся: сначала переведите их приказом' : undefined}
                      onRemove={() => onChange(value.filter((x) => x.key !== c.key))}
                    />
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {errors['classes.deleted'] ? <div className="field-error">{errors['classes.deleted']}</div> : null}
      {readOnly ? null : (
        <div className="button-row year-left">
          <button type="button" className="btn btn-small" onClick={() => addAfter(null)}>
            Добавить класс
          </button>
          <span className="shortcut-hint small muted">Enter в строке — новая строка ниже; Tab — к следующей ячейке</span>
        </div>
      )}
      {newStaffFor ? (
        <NewStaffInline
          onCancel={() => setNewStaffFor(null)}
          onSaved={(saved) => {
            onStaffAdded(saved);
            set(newStaffFor, { classTeacherId: String(saved.id) });
            setFocusKey(newStaffFor);
            setNewStaffFor(null);
          }}
        />
      ) : null}
    </div>
  );
}
