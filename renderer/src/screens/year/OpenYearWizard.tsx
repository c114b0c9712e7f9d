import { useEffect, useMemo, useRef, useState } from 'react';
import type { YearSummary } from '../../../../common/api/year-contract';
import { localDay } from '../../../../common/domain/local-day';
import { useApi } from '../../api/context';
import { ErrorNotice, Form, Notice, SelectField, TextField, useSubmit, type FormErrors } from '../../components/ui';
import { formatIsoDate } from '../../format';
import { enterSubmits } from '../contingent/common';
import { calendarProblems, classProblems, allCurriculumProblems, yearProblems, type Problems } from './checks';
import { CalendarEditor } from './CalendarEditor';
import { ClassesEditor } from './ClassesEditor';
import { openYearWithDraft } from './commit';
import { CurriculumEditor, type Subject } from './CurriculumEditor';
import { type Staff } from './cells';
import { defaultCalendar, defaultDates, draftLabel, nextName, rollForward, SCHEME_LABELS, usedSchemes, type YearDraft } from './draft';

type Step = 'year' | 'calendar' | 'classes' | 'curriculum' | 'summary';
const STEPS: { id: Step; title: string }[] = [
  { id: 'year', title: 'Год' },
  { id: 'calendar', title: 'Периоды и каникулы' },
  { id: 'classes', title: 'Классы' },
  { id: 'curriculum', title: 'Предметы и учебный план' },
  { id: 'summary', title: 'Проверка' },
];

/** Which step shows an error of a field. */
function stepOf(key: string): Step {
  if (key.startsWith('periods') || key.startsWith('holidays')) return 'calendar';
  if (key.startsWith('classes')) return 'classes';
  if (key.startsWith('curriculum')) return 'curriculum';
  return 'year';
}

const pick = (problems: Problems, step: Step): Problems => Object.fromEntries(Object.entries(problems).filter(([k]) => stepOf(k) === step));

/**
 * «Открыть учебный год»: the name and dates (the year after the newest one, 1 September – 31 May)
 * and whose structure to copy, then the periods and holidays, the classes with their class
 * teachers, the subjects and curriculum — all as a draft, rolled forward from the source year —
 * then the summary, and only «Открыть год» writes. Enter moves on; each step starts at its
 * first field; errors stand next to the field they name.
 */
export function OpenYearWizard({
  years,
  staff,
  onStaffAdded,
  onDone,
  onCancel,
}: {
  years: readonly YearSummary[];
  staff: readonly Staff[];
  onStaffAdded(staff: Staff): void;
  onDone(yearId: number, name: string): void;
  onCancel(): void;
}) {
  const api = useApi();
  const newest = [...years].sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0];
  const initialName = useMemo(() => nextName(years, localDay(new Date())), [years]);
  const [step, setStep] = useState<Step>('year');
  const [name, setName] = useState(initialName);
  const [dates, setDates] = useState(defaultDates(initialName));
  const [copyFrom, setCopyFrom] = useState(newest ? String(newest.id) : '');
  const [draft, setDraft] = useState<YearDraft | null>(null);
  const [basis, setBasis] = useState('');
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [selectedClass, setSelectedClass] = useState('');
  const [progress, setProgress] = useState('');
  const [showProblems, setShowProblems] = useState(false);
  const { busy, errors, setErrors, run } = useSubmit();
  const stepRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Each step starts at its first field.
    const root = stepRef.current;
    const target =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])') ??
      root?.parentElement?.querySelector<HTMLElement>('button[type="submit"]');
    target?.focus();
  }, [step]);

  const problems: Problems = useMemo(() => {
    const others = years.map((y) => ({ name: y.name, startsOn: y.startsOn, endsOn: y.endsOn }));
    const found: Problems = yearProblems({ name: name.trim(), ...dates }, others);
    if (draft) Object.assign(found, calendarProblems(draft.calendar), classProblems(draft.classes), allCurriculumProblems(draft.classes));
    return found;
  }, [name, dates, draft, years]);
  // Server errors first; instant checks shown once the administrator edits or tries to move on.
  const shown: Record<string, string> = { ...problems, ...errors.fields };
  const stepProblems = pick(problems, step);

  const fail = (fields: Problems, message = 'Проверьте отмеченные поля: сообщение под каждым говорит, что исправить.') =>
    setErrors({ message, fields } satisfies FormErrors);

  const buildDraft = async () => {
    const key = JSON.stringify([name.trim(), dates, copyFrom]);
    if (draft && key === basis) return;
    const sourceId = Number(copyFrom) || null;
    const source = sourceId ? await api.invoke('years.get', { yearId: sourceId }) : newest ? await api.invoke('years.get', { yearId: newest.id }) : null;
    // Read now, not from the screen's list (it may still be loading): a teacher missing here would be dropped from the class.
    const active = new Set((await api.invoke('staff.list', {})).staff.filter((s) => s.active).map((s) => s.id));
    const next: YearDraft =
      sourceId && source ? rollForward(source, dates.startsOn, dates.endsOn, active) : { calendar: defaultCalendar(dates.startsOn, dates.endsOn), classes: [] };
    setSubjects(source?.subjects ?? []);
    setDraft(next);
    setSelectedClass(next.classes[0]?.key ?? '');
    setBasis(key);
  };

  const index = STEPS.findIndex((s) => s.id === step);
  const next = () => {
    setErrors({ message: null, fields: {} });
    if (Object.keys(stepProblems).length > 0) {
      setShowProblems(true);
      return fail(stepProblems);
    }
    if (step === 'year') {
      void run(async () => {
        await buildDraft();
        setStep('calendar');
      });
      return;
    }
    if (step === 'summary') return void finish();
    setStep(STEPS[index + 1]!.id);
  };
  const back = () => {
    setErrors({ message: null, fields: {} });
    if (index > 0) setStep(STEPS[index - 1]!.id);
  };

  const finish = () =>
    run(async () => {
      if (!draft) return;
      const all = Object.keys(problems);
      if (all.length > 0) {
        setStep(stepOf(all[0]!));
        return fail(problems);
      }
      try {
        // One call, one transaction: the year with all of the draft, or — on a refusal — nothing.
        setProgress('Открываем учебный год и сохраняем его структуру…');
        const { yearId } = await openYearWithDraft(
          api,
          { name: name.trim(), startsOn: dates.startsOn, endsOn: dates.endsOn, copyFromYearId: Number(copyFrom) || null },
          draft,
        );
        setProgress('');
        onDone(yearId, name.trim());
      } catch (error) {
        setProgress('');
        const keys = Object.keys((error as { fields?: Record<string, string> }).fields ?? {});
        if (keys[0]) setStep(stepOf(keys[0]));
        // A curriculum refusal opens the class it names.
        const first = keys[0] ?? '';
        const bad = draft.classes.find((c) => first === `curriculum.${c.key}` || first.startsWith(`curriculum.${c.key}.`));
        if (bad) setSelectedClass(bad.key);
        throw error;
      }
    });

  const updateDraft = (patch: Partial<YearDraft>) => {
    if (!draft) return;
    setDraft({ ...draft, ...patch });
    setErrors({ message: null, fields: {} });
  };

  const visible = (all: Record<string, string>) => (showProblems ? all : errors.fields);
  const periodsCount = draft ? usedSchemes(draft.classes, draft.calendar.periods).map((s) => `${SCHEME_LABELS[s]}: ${draft.calendar.periods.filter((p) => p.scheme === s).length}`) : [];

  return (
    <section className="panel year-wizard" aria-labelledby="year-wizard-title">
      <h2 className="panel-title" id="year-wizard-title">
        Открыть учебный год
      </h2>
      <ol className="steps wizard-steps" aria-label="Шаги">
        {STEPS.map((s, i) => (
          <li key={s.id} aria-current={s.id === step ? 'step' : undefined} className={s.id === step ? 'step-current' : undefined}>
            {i + 1}. {s.title}
          </li>
        ))}
      </ol>
      <Form className="form" onSubmit={next} onKeyDown={enterSubmits} key={step}>
        <div ref={stepRef} className="stack">
          {step === 'year' ? (
            <div className="form-grid">
              <TextField
                label="Учебный год"
                value={name}
                first
                onValue={(v) => {
                  setName(v);
                  const d = defaultDates(v.trim());
                  if (d.startsOn) setDates(d);
                  setShowProblems(true);
                }}
                error={shown.name}
                hint="в виде 2026/2027"
                autoComplete="off"
              />
              <TextField
                label="Начало года"
                type="date"
                value={dates.startsOn}
                onValue={(v) => {
                  setDates({ ...dates, startsOn: v });
                  setShowProblems(true);
                }}
                error={shown.startsOn}
              />
              <TextField
                label="Конец года"
                type="date"
                value={dates.endsOn}
                onValue={(v) => {
                  setDates({ ...dates, endsOn: v });
                  setShowProblems(true);
                }}
                error={shown.endsOn}
              />
              <SelectField
                label="Скопировать структуру из"
                value={copyFrom}
                onValue={setCopyFrom}
                options={[
                  ...[...years]
                    .sort((a, b) => b.startsOn.localeCompare(a.startsOn))
                    .map((y) => ({ value: String(y.id), label: `${y.name}${y.closed ? ' (закрыт)' : ''} — ${y.classes} кл.` })),
                  { value: '', label: 'не копировать — начать с пустого' },
                ]}
                error={shown.copyFromYearId}
                hint={copyFrom ? 'классы переходят в следующую параллель (5А → 6А) с классными руководителями; учебный план, группы, периоды и каникулы — на год позже' : 'периоды по умолчанию, без классов и каникул'}
              />
              {draft && basis && basis !== JSON.stringify([name.trim(), dates, copyFrom]) ? (
                <p className="small muted span-2">Год, даты или источник изменились: следующие шаги заполнятся заново.</p>
              ) : null}
            </div>
          ) : null}

          {step === 'calendar' && draft ? (
            <>
              <p className="dialog-text">
                Учебный год {name}: {formatIsoDate(dates.startsOn)} — {formatIsoDate(dates.endsOn)}. Четверти — для 1–9 классов, полугодия — для 10–11
                (схема класса выбирается на следующем шаге).
              </p>
              <CalendarEditor
                value={draft.calendar}
                onChange={(calendar) => {
                  updateDraft({ calendar });
                  setShowProblems(true);
                }}
                classes={draft.classes}
                errors={visible(shown)}
                readOnly={false}
              />
            </>
          ) : null}

          {step === 'classes' && draft ? (
            <ClassesEditor
              value={draft.classes}
              onChange={(classes) => {
                updateDraft({ classes });
                setShowProblems(true);
              }}
              staff={staff}
              onStaffAdded={onStaffAdded}
              errors={visible(shown)}
              readOnly={false}
            />
          ) : null}

          {step === 'curriculum' && draft ? (
            <CurriculumEditor
              classes={draft.classes}
              onChangeClass={(c) => {
                updateDraft({ classes: draft.classes.map((x) => (x.key === c.key ? c : x)) });
                setShowProblems(true);
              }}
              subjects={subjects}
              onSubjectAdded={(s) => setSubjects((list) => [...list, s])}
              staff={staff}
              onStaffAdded={onStaffAdded}
              errors={visible(shown)}
              readOnly={false}
              pupilsOn={null}
              selectedKey={selectedClass}
              onSelect={setSelectedClass}
            />
          ) : null}

          {step === 'summary' && draft ? (
            <dl className="kv" aria-label="Итог">
              <div className="kv-row">
                <dt>Учебный год</dt>
                <dd>
                  {name}: {formatIsoDate(dates.startsOn)} — {formatIsoDate(dates.endsOn)}
                </dd>
              </div>
              <div className="kv-row">
                <dt>Структура</dt>
                <dd>{copyFrom ? `скопирована из ${years.find((y) => String(y.id) === copyFrom)?.name ?? ''}` : 'заполнена заново'}</dd>
              </div>
              <div className="kv-row">
                <dt>Периоды</dt>
                <dd>{periodsCount.join('; ') || 'нет'}</dd>
              </div>
              <div className="kv-row">
                <dt>Каникулы</dt>
                <dd>{draft.calendar.holidays.map((h) => `${h.name} (${formatIsoDate(h.startsOn)}–${formatIsoDate(h.endsOn)})`).join('; ') || 'нет'}</dd>
              </div>
              <div className="kv-row">
                <dt>Классы</dt>
                <dd>
                  {draft.classes.length}: {draft.classes.map(draftLabel).join(', ') || '—'}
                  {draft.classes.some((c) => !c.classTeacherId) ? (
                    <div className="small muted">Без классного руководителя: {draft.classes.filter((c) => !c.classTeacherId).map(draftLabel).join(', ')}</div>
                  ) : null}
                </dd>
              </div>
              <div className="kv-row">
                <dt>Учебный план</dt>
                <dd>
                  {draft.classes.reduce((n, c) => n + c.curriculum.length, 0)} строк, групп: {draft.classes.reduce((n, c) => n + c.groups.length, 0)}
                  {draft.classes.some((c) => c.curriculum.length === 0) ? (
                    <div className="small muted">Без учебного плана: {draft.classes.filter((c) => c.curriculum.length === 0).map(draftLabel).join(', ')}</div>
                  ) : null}
                </dd>
              </div>
            </dl>
          ) : null}
        </div>

        {progress ? <Notice>{progress}</Notice> : null}
        <ErrorNotice>{errors.message}</ErrorNotice>
        <div className="dialog-actions">
          <span className="shortcut-hint" aria-hidden="true">
            Enter — далее
          </span>
          <div className="button-row">
            <button type="button" className="btn" onClick={onCancel} disabled={busy}>
              Отмена
            </button>
            {index > 0 ? (
              <button type="button" className="btn" onClick={back} disabled={busy}>
                Назад
              </button>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {step === 'summary' ? 'Открыть год' : 'Далее'}
            </button>
          </div>
        </div>
      </Form>
    </section>
  );
}
