import { useCallback, useMemo, useState } from 'react';
import type { YearStructure, YearSummary } from '../../../../common/api/year-contract';
import { localDay } from '../../../../common/domain/local-day';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Form, Loading, Notice, TabList, useSubmit, useToast } from '../../components/ui';
import { formatDateTime } from '../../format';
import { type Staff } from './cells';
import { calendarProblems, classProblems, allCurriculumProblems, type Problems } from './checks';
import { CalendarEditor } from './CalendarEditor';
import { ClassesEditor } from './ClassesEditor';
import { saveCalendarDraft, saveClassesDraft, saveCurriculumDraft } from './commit';
import { CurriculumEditor, type Subject } from './CurriculumEditor';
import { calendarOf, classesOf, type CalendarDraft } from './draft';

type Part = 'calendar' | 'classes' | 'curriculum';
const PARTS: { id: Part; title: string }[] = [
  { id: 'calendar', title: 'Периоды и каникулы' },
  { id: 'classes', title: 'Классы' },
  { id: 'curriculum', title: 'Предметы и учебный план' },
];

/**
 * «Структура года» of one year: its calendar, classes and curriculum in the same editors as the
 * wizard. An open year is edited by the administrator, part by part, each with its own
 * «Сохранить» (one years.applyDraft: the part is saved whole or not at all); a closed year and
 * the director's view are read-only.
 */
export function StructurePanel({
  year,
  canEdit,
  staff,
  onStaffAdded,
  onChanged,
}: {
  year: YearSummary;
  canEdit: boolean;
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  onChanged(): void;
}) {
  const api = useApi();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => api.invoke('years.get', { yearId: year.id }), `${year.id}:${version}`);
  const [part, setPart] = useState<Part>('calendar');
  const readOnly = !canEdit || year.closed;
  const structure = loaded.data && loaded.data.year.id === year.id ? loaded.data : null;
  const saved = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  if (!structure) return loaded.error ? <ErrorNotice error={loaded.error} /> : <Loading />;
  // The parts start their drafts afresh from each structure the server returns (after a save too).
  const key = `${year.id}:${structureNumber(structure)}`;
  return (
    <div className="stack">
      {year.closed ? (
        <Notice kind="info">
          Учебный год {year.name} закрыт{year.closedAt ? ` ${formatDateTime(year.closedAt, false)}` : ''}: его данные только для чтения — по ним
          уже выпущены приказы о переводе и выпуске. Чтобы что-то исправить, администратор отменяет закрытие на вкладке «Закрытие года».
        </Notice>
      ) : !canEdit ? (
        <Notice kind="info">Структуру года ведёт администратор; здесь она только для просмотра.</Notice>
      ) : null}
      <TabList<Part> label="Части структуры года" idPrefix="year-part" tabs={PARTS} current={part} onChoose={setPart} />
      <div role="tabpanel" id="year-part-panel" aria-labelledby={`year-part-tab-${part}`}>
        <div hidden={part !== 'calendar'}>
          <CalendarPart key={key} structure={structure} readOnly={readOnly} onSaved={saved} />
        </div>
        <div hidden={part !== 'classes'}>
          <ClassesPart key={key} structure={structure} readOnly={readOnly} staff={staff} onStaffAdded={onStaffAdded} onSaved={saved} />
        </div>
        <div hidden={part !== 'curriculum'}>
          <CurriculumPart key={key} structure={structure} readOnly={readOnly} staff={staff} onStaffAdded={onStaffAdded} onSaved={saved} />
        </div>
      </div>
    </div>
  );
}

const numbers = new WeakMap<YearStructure, number>();
let lastNumber = 0;
function structureNumber(structure: YearStructure): number {
  let n = numbers.get(structure);
  if (n === undefined) {
    lastNumber += 1;
    n = lastNumber;
    numbers.set(structure, n);
  }
  return n;
}

/** The save row of a part: shown only to whoever may change an open year. */
function SaveRow({ busy, dirty, label, onReset }: { busy: boolean; dirty: boolean; label: string; onReset(): void }) {
  return (
    <div className="dialog-actions">
      <span className="small muted" role="status">
        {dirty ? 'Есть несохранённые изменения.' : 'Изменений нет.'}
      </span>
      <div className="button-row">
        <button type="button" className="btn" onClick={onReset} disabled={busy || !dirty}>
          Отменить изменения
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
          {label}
        </button>
      </div>
    </div>
  );
}

/**
 * The state every part of an open year shares: a draft of what the server holds, its instant
 * problems, whether it differs from what was loaded, and the save (refused locally with
 * `notSaved` while problems remain). Editing clears the errors of the last save.
 */
function useDraftPart<T>(initial: T, problemsOf: (draft: T) => Problems, notSaved: string) {
  const [draft, setDraft] = useState<T>(initial);
  const { busy, errors, setErrors, run } = useSubmit();
  const problems = useMemo(() => problemsOf(draft), [draft, problemsOf]);
  return {
    draft,
    busy,
    message: errors.message,
    fieldErrors: { ...problems, ...errors.fields },
    dirty: JSON.stringify(draft) !== JSON.stringify(initial),
    edit(next: T) {
      setDraft(next);
      setErrors({ message: null, fields: {} });
    },
    reset: () => setDraft(initial),
    /** Saves unless the draft has problems; returns them (empty when the save started). */
    save(work: () => Promise<void>): Problems {
      if (Object.keys(problems).length > 0) {
        setErrors({ message: notSaved, fields: problems });
        return problems;
      }
      void run(work);
      return {};
    },
  };
}

function CalendarPart({ structure, readOnly, onSaved }: { structure: YearStructure; readOnly: boolean; onSaved(): void }) {
  const api = useApi();
  const toast = useToast();
  const initial = useMemo(() => calendarOf(structure), [structure]);
  const name = structure.year.name;
  const problemsOf = useCallback((draft: CalendarDraft) => calendarProblems(draft, { name, others: [] }), [name]);
  const part = useDraftPart(initial, problemsOf, 'Календарь не сохранён: исправьте ячейки с сообщениями и сохраните снова.');
  const submit = () =>
    void part.save(async () => {
      await saveCalendarDraft(api, structure.year.id, part.draft);
      toast(`Периоды и каникулы ${name} сохранены`);
      onSaved();
    });
  return (
    <Form className="form" onSubmit={submit}>
      <CalendarEditor
        value={part.draft}
        onChange={part.edit}
        classes={classesOf(structure)}
        errors={part.fieldErrors}
        readOnly={readOnly}
        yearDates
      />
      <ErrorNotice>{part.message}</ErrorNotice>
      {readOnly ? null : <SaveRow busy={part.busy} dirty={part.dirty} label="Сохранить периоды и каникулы" onReset={part.reset} />}
    </Form>
  );
}

function ClassesPart({
  structure,
  readOnly,
  staff,
  onStaffAdded,
  onSaved,
}: {
  structure: YearStructure;
  readOnly: boolean;
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  onSaved(): void;
}) {
  const api = useApi();
  const toast = useToast();
  const initial = useMemo(() => classesOf(structure), [structure]);
  const part = useDraftPart(initial, classProblems, 'Классы не сохранены: исправьте строки с сообщениями и сохраните снова.');
  const submit = () =>
    void part.save(async () => {
      // One transaction on the server: a refused class leaves every class as it was.
      await saveClassesDraft(api, structure.year.id, part.draft);
      toast(`Классы ${structure.year.name} сохранены`);
      onSaved();
    });
  return (
    <Form className="form" onSubmit={submit}>
      <ClassesEditor
        value={part.draft}
        onChange={part.edit}
        staff={staff}
        onStaffAdded={onStaffAdded}
        errors={part.fieldErrors}
        readOnly={readOnly}
      />
      <ErrorNotice>{part.message}</ErrorNotice>
      {readOnly ? null : <SaveRow busy={part.busy} dirty={part.dirty} label="Сохранить классы" onReset={part.reset} />}
    </Form>
  );
}

function CurriculumPart({
  structure,
  readOnly,
  staff,
  onStaffAdded,
  onSaved,
}: {
  structure: YearStructure;
  readOnly: boolean;
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  onSaved(): void;
}) {
  const api = useApi();
  const toast = useToast();
  const initial = useMemo(() => classesOf(structure), [structure]);
  const part = useDraftPart(initial, allCurriculumProblems, 'Учебный план не сохранён: исправьте строки с сообщениями и сохраните снова.');
  const draft = part.draft;
  const [subjects, setSubjects] = useState<Subject[]>(structure.subjects);
  const [selected, setSelected] = useState(initial[0]?.key ?? '');
  const today = localDay(new Date());
  const { startsOn, endsOn } = structure.year;
  const pupilsOn = today < startsOn ? startsOn : today > endsOn ? endsOn : today;
  // The class whose curriculum holds an error (local or from the server) is shown.
  const showClassOf = (fields: Record<string, string>) => {
    const key = Object.keys(fields)[0];
    const bad = key ? draft.find((c) => key === `curriculum.${c.key}` || key.startsWith(`curriculum.${c.key}.`)) : undefined;
    if (bad) setSelected(bad.key);
  };
  const submit = () =>
    showClassOf(
      part.save(async () => {
        try {
          await saveCurriculumDraft(api, structure.year.id, draft);
        } catch (error) {
          showClassOf((error as { fields?: Record<string, string> }).fields ?? {});
          throw error;
        }
        toast(`Учебный план ${structure.year.name} сохранён`);
        onSaved();
      }),
    );
  return (
    <Form className="form" onSubmit={submit}>
      <CurriculumEditor
        classes={draft}
        onChangeClass={(c) => part.edit(draft.map((x) => (x.key === c.key ? c : x)))}
        subjects={subjects}
        onSubjectAdded={(s) => setSubjects((list) => [...list, s])}
        staff={staff}
        onStaffAdded={onStaffAdded}
        errors={part.fieldErrors}
        readOnly={readOnly}
        pupilsOn={pupilsOn}
        selectedKey={selected}
        onSelect={setSelected}
      />
      <ErrorNotice>{part.message}</ErrorNotice>
      {readOnly ? null : <SaveRow busy={part.busy} dirty={part.dirty} label="Сохранить учебный план" onReset={part.reset} />}
    </Form>
  );
}
