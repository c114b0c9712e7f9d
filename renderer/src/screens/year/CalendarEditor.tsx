import { CellInput, RemoveCell } from './cells';
import { newKey, PERIOD_NAMES, periodsForScheme, SCHEME_LABELS, SCHEMES, sortPeriods, usedSchemes, type CalendarDraft, type DraftClass, type Scheme } from './draft';
import { formatIsoDate } from '../../format';

/**
 * «Периоды и каникулы»: the periods of every scheme the classes use (четверти, полугодия,
 * триместры) and the holidays, each row editable in place. Errors (`periods.2.endsOn`) sit under
 * their cell. Used by the wizard and by the editing panel of an open year.
 */
export function CalendarEditor({
  value,
  onChange,
  classes,
  errors,
  readOnly,
  yearDates,
}: {
  value: CalendarDraft;
  onChange(next: CalendarDraft): void;
  classes: readonly DraftClass[];
  errors: Record<string, string>;
  readOnly: boolean;
  /** Show the year's first and last day as fields (the editing panel; the wizard asks on its first step). */
  yearDates?: boolean;
}) {
  const schemes = usedSchemes(classes, value.periods);
  const missing = SCHEMES.filter((s) => !schemes.includes(s));
  const setPeriod = (index: number, patch: Partial<CalendarDraft['periods'][number]>) =>
    onChange({ ...value, periods: value.periods.map((p, i) => (i === index ? { ...p, ...patch } : p)) });
  const setHoliday = (index: number, patch: Partial<CalendarDraft['holidays'][number]>) =>
    onChange({ ...value, holidays: value.holidays.map((h, i) => (i === index ? { ...h, ...patch } : h)) });
  const addPeriod = (scheme: Scheme) => {
    const ofScheme = value.periods.filter((p) => p.scheme === scheme);
    const number = Math.max(0, ...ofScheme.map((p) => p.number)) + 1;
    const last = ofScheme[ofScheme.length - 1];
    onChange({
      ...value,
      periods: sortPeriods([
        ...value.periods,
        { key: newKey('p'), id: null, scheme, number, name: `${number} ${PERIOD_NAMES[scheme]}`, startsOn: last?.endsOn ?? value.startsOn, endsOn: value.endsOn },
      ]),
    });
  };
  const usedBy = (scheme: Scheme) => classes.filter((c) => c.periodScheme === scheme).length;

  return (
    <div className="stack year-calendar">
      {yearDates ? (
        <div className="form-grid">
          <div className="field">
            <span className="field-label-static">Начало учебного года</span>
            <CellInput label="Начало учебного года" type="date" value={value.startsOn} onValue={(v) => onChange({ ...value, startsOn: v })} error={errors.startsOn} readOnly={readOnly} />
          </div>
          <div className="field">
            <span className="field-label-static">Конец учебного года</span>
            <CellInput label="Конец учебного года" type="date" value={value.endsOn} onValue={(v) => onChange({ ...value, endsOn: v })} error={errors.endsOn} readOnly={readOnly} />
          </div>
        </div>
      ) : null}
      {errors.periods ? <div className="field-error">{errors.periods}</div> : null}
      {schemes.map((scheme) => (
        <div className="table-wrap" key={scheme}>
          <table className="data-table year-table" aria-label={`Периоды: ${SCHEME_LABELS[scheme]}`}>
            <caption className="table-caption">
              Периоды: {SCHEME_LABELS[scheme]}{' '}
              <span className="muted small">
                {usedBy(scheme) > 0 ? `— по ним учатся ${usedBy(scheme)} кл.` : '— сейчас ни один класс по ним не учится'}
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">№</th>
                <th scope="col">Название</th>
                <th scope="col">Начало</th>
                <th scope="col">Конец</th>
                {readOnly ? null : <th scope="col"><span className="visually-hidden">Действия</span></th>}
              </tr>
            </thead>
            <tbody>
              {value.periods.map((p, i) =>
                p.scheme !== scheme ? null : (
                  <tr key={p.key}>
                    <td className="mono-digits">{p.number}</td>
                    <td>
                      <CellInput label={`Название: ${p.name || `период ${p.number}`}`} value={p.name} onValue={(v) => setPeriod(i, { name: v })} error={errors[`periods.${i}.name`] ?? errors[`periods.${i}.number`]} readOnly={readOnly} />
                    </td>
                    <td>
                      <CellInput label={`Начало: ${p.name}`} type="date" value={p.startsOn} onValue={(v) => setPeriod(i, { startsOn: v })} error={errors[`periods.${i}.startsOn`] ?? errors[`periods.${i}`]} readOnly={readOnly} />
                    </td>
                    <td>
                      <CellInput label={`Конец: ${p.name}`} type="date" value={p.endsOn} onValue={(v) => setPeriod(i, { endsOn: v })} error={errors[`periods.${i}.endsOn`]} readOnly={readOnly} />
                    </td>
                    {readOnly ? null : (
                      <RemoveCell label={`Удалить период «${p.name}»`} onRemove={() => onChange({ ...value, periods: value.periods.filter((_, j) => j !== i) })} />
                    )}
                  </tr>
                ),
              )}
            </tbody>
          </table>
          {readOnly ? null : (
            <button type="button" className="btn btn-small" onClick={() => addPeriod(scheme)}>
              Добавить период ({SCHEME_LABELS[scheme]})
            </button>
          )}
        </div>
      ))}
      {!readOnly && missing.length > 0 ? (
        <div className="button-row year-left">
          {missing.map((scheme) => (
            <button key={scheme} type="button" className="btn btn-small" onClick={() => onChange({ ...value, periods: sortPeriods([...value.periods, ...periodsForScheme(scheme, value)]) })}>
              Добавить схему «{SCHEME_LABELS[scheme]}»
            </button>
          ))}
        </div>
      ) : null}

      <div className="table-wrap">
        <table className="data-table year-table" aria-label="Каникулы">
          <caption className="table-caption">
            Каникулы <span className="muted small">— между периодами четвертей и триместров (полугодия их включают)</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Название</th>
              <th scope="col">Начало</th>
              <th scope="col">Конец</th>
              {readOnly ? null : <th scope="col"><span className="visually-hidden">Действия</span></th>}
            </tr>
          </thead>
          <tbody>
            {value.holidays.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  Каникул нет{readOnly ? '.' : ' — добавьте осенние, зимние и весенние.'}
                </td>
              </tr>
            ) : null}
            {value.holidays.map((h, i) => (
              <tr key={h.key}>
                <td>
                  <CellInput label={`Название каникул ${i + 1}`} value={h.name} onValue={(v) => setHoliday(i, { name: v })} error={errors[`holidays.${i}.name`]} readOnly={readOnly} />
                </td>
                <td>
                  <CellInput label={`Начало каникул ${i + 1}`} type="date" value={h.startsOn} onValue={(v) => setHoliday(i, { startsOn: v })} error={errors[`holidays.${i}.startsOn`] ?? errors[`holidays.${i}`]} readOnly={readOnly} />
                </td>
                <td>
                  <CellInput label={`Конец каникул ${i + 1}`} type="date" value={h.endsOn} onValue={(v) => setHoliday(i, { endsOn: v })} error={errors[`holidays.${i}.endsOn`]} readOnly={readOnly} />
                </td>
                {readOnly ? null : (
                  <RemoveCell label={`Удалить каникулы «${h.name || i + 1}»`} onRemove={() => onChange({ ...value, holidays: value.holidays.filter((_, j) => j !== i) })} />
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {readOnly ? null : (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const last = value.holidays[value.holidays.length - 1];
              onChange({ ...value, holidays: [...value.holidays, { key: newKey('h'), id: null, name: '', startsOn: last?.endsOn ?? value.startsOn, endsOn: last?.endsOn ?? value.startsOn }] });
            }}
          >
            Добавить каникулы
          </button>
        )}
      </div>
      {readOnly ? null : (
        <p className="small muted">
          Даты — от {formatIsoDate(value.startsOn)} до {formatIsoDate(value.endsOn)}. Ошибка в строке показывается под ячейкой; исправьте её, прежде чем сохранить.
        </p>
      )}
    </div>
  );
}
