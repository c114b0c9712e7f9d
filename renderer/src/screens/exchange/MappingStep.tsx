import { useEffect, useMemo, useRef, useState } from 'react';
import type { FilePreview } from '../../../../common/api/exchange-preview-contract';
import { checkProfile, profileToJson, type ImportProfile, type ProfileProblem } from '../../../../common/exchange/profile';
import { ErrorNotice, SelectField } from '../../components/ui';
import {
  buildUserProfile,
  columnLetter,
  defaultMapping,
  fieldLabel,
  fileColumns,
  findHeaderRow,
  groupFieldLabel,
  groupKey,
  groupLabel,
  groupNumbers,
  mappingChanged,
  mappingErrors,
  type Mapping,
  type MappingState,
} from '../../../../common/exchange/mapping';

interface Props {
  builtin: ImportProfile;
  preview: FilePreview;
  disabled: boolean;
  onChange(state: MappingState): void;
}

/**
 * The file's first rows with the header row marked, and for every field of the profile the file
 * column it takes. Changing a choice makes a user profile (a copy of the built-in one with the
 * file's header names), which can be saved to a file and loaded again for the next file of
 * the same shape. A repeat group (the guardians of a roster) is mapped per instance: for
 * «Представитель 1», «Представитель 2»… each field takes a file column.
 */
export function MappingStep({ builtin, preview, disabled, onChange }: Props) {
  const [loaded, setLoaded] = useState<ImportProfile | null>(null);
  const [loadProblems, setLoadProblems] = useState<ProfileProblem[] | string | null>(null);
  const base = loaded ?? builtin;
  const header = useMemo(() => findHeaderRow(base, preview.rows), [base, preview.rows]);
  const columns = useMemo(() => fileColumns(header), [header]);
  /** Group → instances added beyond the profile's own numbers. */
  const [extra, setExtra] = useState<Record<string, number>>({});
  const defaults = useMemo(() => defaultMapping(base, columns, extra), [base, columns, extra]);
  const [choices, setChoices] = useState<{ base: ImportProfile; mapping: Mapping }>({ base, mapping: defaults });
  // A new base profile (loaded from a file) starts again from what its names find.
  const mapping = choices.base === base ? choices.mapping : defaults;
  const [stamp] = useState(() => Date.now());

  const errors = mappingErrors(base, mapping, columns, extra);
  const changed = mappingChanged(defaults, mapping);
  const built = Object.keys(errors).length === 0 && changed ? buildUserProfile(base, defaults, mapping, columns, stamp, extra) : null;
  const userProfile = built?.ok ? built.profile : !changed ? loaded : null;
  const ready = Object.keys(errors).length === 0 && (built ? built.ok : true);
  const stateKey = JSON.stringify([ready, userProfile]);

  // The parent hears only real changes of the profile or its readiness (its callback may be new on every render).
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  useEffect(() => {
    onChangeRef.current({ profile: userProfile, ready });
    // stateKey stands for the profile and readiness.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stateKey]);

  const loadProfile = async (file: File | undefined) => {
    setLoadProblems(null);
    if (!file) return;
    let value: unknown;
    try {
      value = JSON.parse((await file.text()).replace(/^\uFEFF/, ''));
    } catch {
      setLoadProblems('Файл не читается как JSON. Выберите файл профиля, сохранённый программой.');
      return;
    }
    const checked = checkProfile(value);
    if (!checked.ok) return setLoadProblems(checked.problems);
    if (checked.profile.layout !== 'table' || checked.profile.entity !== builtin.entity) {
      return setLoadProblems(`Профиль «${checked.profile.title}» не подходит к загрузке «${builtin.title}»: он для других данных.`);
    }
    setExtra({});
    setLoaded(checked.profile);
  };

  const saveHref = userProfile ? `data:application/json;charset=utf-8,${encodeURIComponent(profileToJson(userProfile))}` : null;
  const width = Math.max(0, ...preview.rows.map((r) => r.cells.length));
  const groups = base.repeatGroups ?? [];
  // What each file column is loaded into, shown under the column letters of the preview.
  const takenBy = new Map<string, string>();
  for (const [key, chosen] of Object.entries(mapping)) if (chosen !== '' && !takenBy.has(chosen)) takenBy.set(chosen, fieldLabel(base, key));
  const choose = (key: string, next: string) => setChoices({ base, mapping: { ...mapping, [key]: next } });
  const columnOptions = columns.map((f) => ({ value: String(f.index), label: f.label }));

  return (
    <section className="stack exchange-mapping" aria-labelledby="exchange-mapping-title">
      <h2 id="exchange-mapping-title" className="section-title">
        Сопоставление столбцов{loaded ? ` — профиль «${loaded.title}»` : ''}
      </h2>
      <div className="table-wrap exchange-preview">
        <table className="data-table" aria-label="Начало файла">
          <caption className="table-caption">
            Первые строки файла{preview.kind === 'xlsx' ? ` (лист «${preview.sheet}»)` : ''}.{' '}
            {header ? `Строка заголовков — ${header.row}, она выделена.` : 'Строка заголовков не найдена: в файле нет ни одного названия столбца из профиля.'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Строка</th>
              {Array.from({ length: width }, (_, i) => (
                <th scope="col" key={i}>
                  {columnLetter(i)}
                </th>
              ))}
            </tr>
            {header ? (
              <tr data-testid="mapped-fields">
                <th scope="row">Загружается в</th>
                {Array.from({ length: width }, (_, i) => (
                  <td key={i}>{takenBy.get(String(i)) ?? '—'}</td>
                ))}
              </tr>
            ) : null}
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.row} className={r.row === header?.row ? 'exchange-header-row' : undefined} data-testid={r.row === header?.row ? 'header-row' : undefined}>
                <th scope="row">{r.row}</th>
                {Array.from({ length: width }, (_, i) => (
                  <td key={i}>{r.cells[i] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {header ? (
        <div className="form-grid exchange-fields" role="group" aria-label="Поля и столбцы файла">
          {base.columns.map((c) => (
            <SelectField
              key={c.field}
              label={fieldLabel(base, c.field)}
              value={mapping[c.field] ?? ''}
              onValue={(next) => choose(c.field, next)}
              options={[{ value: '', label: c.required ? '— не выбран —' : '— не загружать —' }, ...columnOptions]}
              error={errors[c.field]}
              hint={c.required ? 'обязательное поле' : undefined}
              fieldClassName={c.required ? 'exchange-required' : undefined}
              disabled={disabled}
            />
          ))}
        </div>
      ) : null}
      {header
        ? groups.map((g) => {
            const numbers = groupNumbers(base, g, extra[g.group] ?? 0);
            const next = groupNumbers(base, g, (extra[g.group] ?? 0) + 1).find((n) => !numbers.includes(n));
            const label = groupLabel(base, g.group);
            return (
              <div key={g.group} className="stack">
                <p className="muted small">
                  {label}: номер должен быть в названии столбца, например «{g.columns[0]?.headers[0]?.split('{n}').join('1')}» или «Родитель 1 фамилия». Профиль запомнит название с местом номера, и
                  столбцы каждого следующего номера должны называться так же.
                </p>
                {numbers.map((n) => (
                  <fieldset key={n} className="form-grid exchange-fields" style={{ margin: 0, padding: '10px 12px 12px', border: '1px solid var(--border)', borderRadius: 'var(--radius)' }}>
                    <legend>
                      {label} {n}
                    </legend>
                    {g.columns.map((c) => {
                      const key = groupKey(g.group, n, c.field);
                      return (
                        <SelectField
                          key={key}
                          label={groupFieldLabel(base, g.group, c.field)}
                          value={mapping[key] ?? ''}
                          onValue={(next) => choose(key, next)}
                          options={[{ value: '', label: '— не загружать —' }, ...columnOptions]}
                          error={errors[key]}
                          hint={c.required ? 'обязательное, если загружается этот представитель' : undefined}
                          disabled={disabled}
                        />
                      );
                    })}
                  </fieldset>
                ))}
                {next !== undefined ? (
                  <div className="button-row">
                    <button type="button" className="btn" disabled={disabled} onClick={() => setExtra((e) => ({ ...e, [g.group]: (e[g.group] ?? 0) + 1 }))}>
                      Добавить: {label.toLowerCase()} {next}
                    </button>
                  </div>
                ) : null}
              </div>
            );
          })
        : null}
      {built && !built.ok ? (
        <ErrorNotice>
          Такой профиль не получится:
          <ul>
            {built.problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </ErrorNotice>
      ) : null}
      {changed && built?.ok ? <p className="muted small">Сопоставление изменено: загрузка пойдёт по своему профилю «{built.profile.title}».</p> : null}
      <div className="button-row">
        {saveHref && userProfile ? (
          <a className="btn" href={saveHref} download={`${userProfile.id}.json`}>
            Сохранить профиль в файл
          </a>
        ) : (
          <button type="button" className="btn" disabled title="Сначала измените сопоставление или загрузите профиль">
            Сохранить профиль в файл
          </button>
        )}
        <label className="btn file-button">
          Загрузить профиль из файла
          <input type="file" accept=".json,application/json" className="visually-hidden" disabled={disabled} onChange={(e) => void loadProfile(e.target.files?.[0])} />
        </label>
        {loaded ? (
          <button type="button" className="btn" onClick={() => setLoaded(null)} disabled={disabled}>
            Вернуть встроенный профиль
          </button>
        ) : null}
      </div>
      {loadProblems ? (
        <ErrorNotice>
          {typeof loadProblems === 'string' ? (
            loadProblems
          ) : (
            <>
              Профиль не принят:
              <ul>
                {loadProblems.map((p, i) => (
                  <li key={i}>
                    {p.path}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </ErrorNotice>
      ) : null}
    </section>
  );
}
