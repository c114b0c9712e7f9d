import { useState, type KeyboardEvent } from 'react';
import type { z } from 'zod';
import type { subjectSchema } from '../../../../common/api/year-contract';
import { comparePeople } from '../../../../common/domain/russian';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, SelectField, TextField, useSubmit } from '../../components/ui';
import { CellInput, CellSelect, NEW_STAFF, NewStaffInline, RemoveCell, staffOptions, type Staff } from './cells';
import { draftLabel, hoursText, newKey, parseHours, type DraftClass, type DraftGroup } from './draft';

export type Subject = z.infer<typeof subjectSchema>;
const PART_LABELS = { federal: 'обязательная часть', school: 'часть, формируемая школой' } as const;

/**
 * «Предметы и учебный план»: the school's subjects (обязательная часть and the part the school
 * forms), then for the chosen class its curriculum (subject, hours per week, teacher) and the
 * groups the class is split into for a subject (name, teacher, pupils from the class list).
 */
export function CurriculumEditor({
  classes,
  onChangeClass,
  subjects,
  onSubjectAdded,
  staff,
  onStaffAdded,
  errors,
  readOnly,
  pupilsOn,
  selectedKey,
  onSelect,
}: {
  classes: readonly DraftClass[];
  onChangeClass(next: DraftClass): void;
  subjects: readonly Subject[];
  onSubjectAdded(subject: Subject): void;
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  errors: Record<string, string>;
  readOnly: boolean;
  /** The day the class lists are read on (for groups); null in a year not opened yet. */
  pupilsOn: string | null;
  selectedKey: string;
  onSelect(key: string): void;
}) {
  const current = classes.find((c) => c.key === selectedKey) ?? classes[0];
  const sortedSubjects = [...subjects].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'ru'));
  return (
    <div className="stack">
      <SubjectsTable subjects={sortedSubjects} readOnly={readOnly} onAdded={onSubjectAdded} />
      {classes.length === 0 ? (
        <p className="muted">Классов нет — учебный план составляется для каждого класса.</p>
      ) : (
        <>
          <div className="form-grid">
            <SelectField
              label="Класс"
              first
              value={current?.key ?? ''}
              onValue={onSelect}
              options={classes.map((c) => {
                const bad = Object.keys(errors).some((k) => k.startsWith(`curriculum.${c.key}.`) || k === `curriculum.${c.key}`);
                return { value: c.key, label: `${draftLabel(c)} — ${c.curriculum.length} предм.${bad ? ' (есть ошибки)' : ''}` };
              })}
              fieldClassName="field-narrow"
            />
          </div>
          {current ? (
            <ClassPlan
              key={current.key}
              cls={current}
              onChange={onChangeClass}
              subjects={sortedSubjects}
              staff={staff}
              onStaffAdded={onStaffAdded}
              errors={errors}
              readOnly={readOnly}
              pupilsOn={pupilsOn}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

function SubjectsTable({ subjects, readOnly, onAdded }: { subjects: readonly Subject[]; readOnly: boolean; onAdded(subject: Subject): void }) {
  const api = useApi();
  const { busy, errors, run } = useSubmit();
  const [draft, setDraft] = useState({ name: '', shortName: '', part: 'federal' as Subject['part'] });
  const add = () =>
    void run(async () => {
      const saved = await api.invoke('subjects.save', {
        name: draft.name.trim(),
        shortName: (draft.shortName.trim() || draft.name.trim()).slice(0, 30),
        part: draft.part,
        sortOrder: Math.min(1000, Math.max(0, ...subjects.map((s) => s.sortOrder)) + 1),
      });
      onAdded(saved);
      setDraft({ name: '', shortName: '', part: draft.part });
    });
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      event.stopPropagation();
      add();
    }
  };
  return (
    <details className="panel year-subjects" open={subjects.length === 0 || undefined}>
      <summary>
        <strong>Предметы школы</strong> <span className="muted small">— {subjects.length}; обязательная часть и часть, формируемая школой</span>
      </summary>
      <div className="table-wrap">
        <table className="data-table year-table" aria-label="Предметы">
          <thead>
            <tr>
              <th scope="col">Предмет</th>
              <th scope="col">Кратко</th>
              <th scope="col">Часть учебного плана</th>
            </tr>
          </thead>
          <tbody>
            {subjects.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.shortName}</td>
                <td>{PART_LABELS[s.part]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {readOnly ? null : (
        <div role="group" aria-label="Новый предмет" onKeyDown={onKey} className="stack">
          <div className="form-grid">
            <TextField label="Новый предмет" value={draft.name} onValue={(v) => setDraft({ ...draft, name: v })} error={errors.fields.name} autoComplete="off" />
            <TextField label="Краткое название" value={draft.shortName} onValue={(v) => setDraft({ ...draft, shortName: v })} error={errors.fields.shortName} hint="пусто — как полное" autoComplete="off" />
            <SelectField<Subject['part']>
              label="Часть учебного плана"
              value={draft.part}
              onValue={(v) => setDraft({ ...draft, part: v })}
              options={[
                { value: 'federal', label: PART_LABELS.federal },
                { value: 'school', label: PART_LABELS.school },
              ]}
              error={errors.fields.part}
            />
          </div>
          <ErrorNotice>{errors.message}</ErrorNotice>
          <div className="button-row year-left">
            <button type="button" className="btn btn-small" onClick={add} disabled={busy}>
              Добавить предмет
            </button>
          </div>
        </div>
      )}
    </details>
  );
}

function ClassPlan({
  cls,
  onChange,
  subjects,
  staff,
  onStaffAdded,
  errors,
  readOnly,
  pupilsOn,
}: {
  cls: DraftClass;
  onChange(next: DraftClass): void;
  subjects: readonly Subject[];
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  errors: Record<string, string>;
  readOnly: boolean;
  pupilsOn: string | null;
}) {
  const api = useApi();
  const [newStaffFor, setNewStaffFor] = useState<{ kind: 'row' | 'group'; index: number } | null>(null);
  const label = draftLabel(cls);
  const prefix = `curriculum.${cls.key}`;
  const subjectName = (id: string) => subjects.find((s) => String(s.id) === id)?.name ?? 'предмет';
  const subjectOptions = [{ value: '', label: '— выберите предмет —' }, ...subjects.map((s) => ({ value: String(s.id), label: s.name }))];
  const total = cls.curriculum.reduce((sum, r) => sum + (parseHours(r.hours) ?? 0), 0);
  const canLoadPupils = cls.id !== null && pupilsOn !== null && cls.pupils > 0;
  const pupils = useLoad(
    () => (canLoadPupils ? api.invoke('pupils.search', { classId: cls.id!, date: pupilsOn!, limit: 200, includeNotEnrolled: false }) : Promise.resolve(null)),
    `${cls.id}:${pupilsOn}:${canLoadPupils}`,
  );
  const classPupils = [...(pupils.data?.rows ?? [])].sort(comparePeople);

  const setRow = (i: number, patch: Partial<DraftClass['curriculum'][number]>) =>
    onChange({ ...cls, curriculum: cls.curriculum.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setGroup = (i: number, patch: Partial<DraftGroup>) => onChange({ ...cls, groups: cls.groups.map((g, j) => (j === i ? { ...g, ...patch } : g)) });
  const teacherCell = (kind: 'row' | 'group', i: number, value: string, onValue: (v: string) => void, error: string | undefined, what: string) => (
    <CellSelect
      label={`Учитель: ${what}`}
      value={value}
      onValue={(v) => (v === NEW_STAFF ? setNewStaffFor({ kind, index: i }) : onValue(v))}
      options={staffOptions(staff, value, '— не назначен —', !readOnly)}
      error={error}
      readOnly={readOnly}
    />
  );
  const addRow = () => onChange({ ...cls, curriculum: [...cls.curriculum, { key: newKey('r'), subjectId: '', hours: '1', teacherId: '' }] });
  const onRowKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      event.stopPropagation();
      addRow();
    }
  };

  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="data-table year-table" aria-label={`Учебный план ${label}`}>
          <caption className="table-caption">
            Учебный план {label}: {hoursText(total)} ч в неделю
          </caption>
          <thead>
            <tr>
              <th scope="col">Предмет</th>
              <th scope="col">Часов в неделю</th>
              <th scope="col">Учитель</th>
              {readOnly ? null : <th scope="col"><span className="visually-hidden">Действия</span></th>}
            </tr>
          </thead>
          <tbody onKeyDown={readOnly ? undefined : onRowKey}>
            {cls.curriculum.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  В плане {label} нет предметов.
                </td>
              </tr>
            ) : null}
            {cls.curriculum.map((r, i) => {
              const what = r.subjectId ? subjectName(r.subjectId) : `строка ${i + 1}`;
              return (
                <tr key={r.key}>
                  <td>
                    <CellSelect label={`Предмет: строка ${i + 1}`} value={r.subjectId} onValue={(v) => setRow(i, { subjectId: v })} options={subjectOptions} error={errors[`${prefix}.rows.${i}.subjectId`] ?? errors[`${prefix}.rows.${i}`]} readOnly={readOnly} />
                  </td>
                  <td>
                    <CellInput label={`Часов в неделю: ${what}`} value={r.hours} onValue={(v) => setRow(i, { hours: v })} error={errors[`${prefix}.rows.${i}.hoursPerWeek`]} readOnly={readOnly} inputMode="decimal" className="year-hours" />
                  </td>
                  <td>{teacherCell('row', i, r.teacherId, (v) => setRow(i, { teacherId: v }), errors[`${prefix}.rows.${i}.teacherId`], what)}</td>
                  {readOnly ? null : (
                    <RemoveCell label={`Убрать из плана: ${what}`} text="Убрать" onRemove={() => onChange({ ...cls, curriculum: cls.curriculum.filter((_, j) => j !== i) })} />
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {readOnly ? null : (
          <button type="button" className="btn btn-small" onClick={addRow}>
            Добавить предмет в план
          </button>
        )}
      </div>

      <div className="table-wrap">
        <table className="data-table year-table" aria-label={`Группы ${label}`}>
          <caption className="table-caption">
            Группы {label} <span className="muted small">— если класс делится на группы по предмету (иностранный язык, информатика, труд)</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Предмет</th>
              <th scope="col">Группа</th>
              <th scope="col">Учитель</th>
              <th scope="col">Обучающиеся</th>
              {readOnly ? null : <th scope="col"><span className="visually-hidden">Действия</span></th>}
            </tr>
          </thead>
          <tbody>
            {cls.groups.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  Класс {label} не делится на группы.
                </td>
              </tr>
            ) : null}
            {cls.groups.map((g, i) => {
              const what = g.name || `группа ${i + 1}`;
              return (
                <tr key={g.key}>
                  <td>
                    <CellSelect label={`Предмет группы: ${what}`} value={g.subjectId} onValue={(v) => setGroup(i, { subjectId: v })} options={subjectOptions} error={errors[`${prefix}.groups.${i}.subjectId`]} readOnly={readOnly} />
                  </td>
                  <td>
                    <CellInput label={`Название группы ${i + 1}`} value={g.name} onValue={(v) => setGroup(i, { name: v })} error={errors[`${prefix}.groups.${i}.name`]} readOnly={readOnly} />
                  </td>
                  <td>{teacherCell('group', i, g.teacherId, (v) => setGroup(i, { teacherId: v }), errors[`${prefix}.groups.${i}.teacherId`], what)}</td>
                  <td>
                    {canLoadPupils ? (
                      <fieldset className="year-pupils" aria-label={`Обучающиеся группы «${what}»`}>
                        {classPupils.map((p) => {
                          const checked = g.pupilIds.includes(p.id);
                          const inOther = cls.groups.some((o, j) => j !== i && o.subjectId === g.subjectId && o.pupilIds.includes(p.id));
                          return (
                            <label key={p.id} className="checkbox-line">
                              <input
                                type="checkbox"
                                checked={checked}
                                disabled={readOnly}
                                onChange={() => setGroup(i, { pupilIds: checked ? g.pupilIds.filter((x) => x !== p.id) : [...g.pupilIds, p.id] })}
                              />{' '}
                              {p.lastName} {p.firstName}
                              {inOther && !checked ? <span className="muted small"> (в другой группе)</span> : null}
                            </label>
                          );
                        })}
                        {pupils.loading ? <span className="muted small">Загрузка списка класса…</span> : null}
                        <div className="small muted">Выбрано: {g.pupilIds.length}</div>
                      </fieldset>
                    ) : (
                      <span className="muted small">
                        {g.pupilIds.length > 0
                          ? `${g.pupilIds.length} обуч.`
                          : 'Состав выбирается, когда в классе есть обучающиеся (после зачисления или перевода).'}
                      </span>
                    )}
                    {errors[`${prefix}.groups.${i}.pupilIds`] ? <div className="field-error">{errors[`${prefix}.groups.${i}.pupilIds`]}</div> : null}
                  </td>
                  {readOnly ? null : (
                    <RemoveCell label={`Удалить группу «${what}»`} onRemove={() => onChange({ ...cls, groups: cls.groups.filter((_, j) => j !== i) })} />
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {readOnly ? null : (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange({ ...cls, groups: [...cls.groups, { key: newKey('g'), id: null, subjectId: cls.curriculum[0]?.subjectId ?? '', name: `Группа ${cls.groups.length + 1}`, teacherId: '', pupilIds: [] }] })}
          >
            Добавить группу
          </button>
        )}
      </div>
      {errors[prefix] ? <div className="field-error">{errors[prefix]}</div> : null}
      {newStaffFor ? (
        <NewStaffInline
          onCancel={() => setNewStaffFor(null)}
          onSaved={(saved) => {
            onStaffAdded(saved);
            if (newStaffFor.kind === 'row') setRow(newStaffFor.index, { teacherId: String(saved.id) });
            else setGroup(newStaffFor.index, { teacherId: String(saved.id) });
            setNewStaffFor(null);
          }}
        />
      ) : null}
    </div>
  );
}
