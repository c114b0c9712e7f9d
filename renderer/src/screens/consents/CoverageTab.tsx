import { useEffect, useMemo, useRef, useState } from 'react';
import type { CoverageClass, CoverageMissing } from '../../../../common/api/consents-contract';
import { CONSENT_PURPOSE_LABELS, type ConsentPurpose } from '../../../../common/api/consents';
import { useApi, useLoad } from '../../api/context';
import { EmptyState, ErrorNotice, Kbd, Loading, SelectField } from '../../components/ui';
import { countOf, formatIsoDate } from '../../format';
import { fullName, PrintButton } from '../contingent/common';
import { capitalize } from './shared';

type ClassCoverage = CoverageClass;
type Missing = CoverageMissing;

/** The consents a family must give (distribution is optional and never "missing"). */
const REQUIRED: readonly ConsentPurpose[] = ['pupil_data', 'guardian_data', 'electronic_results'];

interface PupilLine {
  pupilId: number;
  name: string;
  missing: Partial<Record<ConsentPurpose, Missing[]>>;
  /** Guardians who refused (or withdrew) electronic results: a decision, yet no e-diary. */
  refused: string[];
  count: number;
}

/** One line per pupil of the class: names from the class list, gaps and refusals from the coverage. */
function pupilLines(coverage: ClassCoverage, names: Map<number, string>): PupilLine[] {
  const lines = new Map<number, PupilLine>();
  for (const [pupilId, name] of names) lines.set(pupilId, { pupilId, name, missing: {}, refused: [], count: 0 });
  // A pupil the class list did not return (e.g. left today): name them from the coverage.
  const lineOf = (pupilId: number, name: string) => {
    let line = lines.get(pupilId);
    if (!line) {
      line = { pupilId, name, missing: {}, refused: [], count: 0 };
      lines.set(pupilId, line);
    }
    return line;
  };
  for (const entry of coverage.missing) {
    const line = lineOf(entry.pupilId, entry.personKind === 'pupil' ? entry.person : `обучающийся № ${entry.pupilId}`);
    (line.missing[entry.purpose] ??= []).push(entry);
    line.count += 1;
  }
  for (const row of coverage.refusedElectronic) lineOf(row.pupilId, row.pupil).refused.push(row.guardian);
  return [...lines.values()];
}

/** «По классам»: who in the class lacks which consent, and the families without the electronic diary. */
export function CoverageTab({ onOpenFamily }: { onOpenFamily(pupilId: number): void }) {
  const api = useApi();
  const classes = useLoad(() => api.invoke('classes.list', {}));
  const [chosen, setChosen] = useState('');
  const [onlyMissing, setOnlyMissing] = useState(true);
  const classList = classes.data?.classes ?? [];
  const classId = chosen || (classList[0] ? String(classList[0].id) : '');
  const coverage = useLoad(() => (classId ? api.invoke('consents.coverage', { classId: Number(classId) }) : Promise.resolve(null)), classId);
  const pupils = useLoad(
    () => (classId ? api.invoke('pupils.search', { classId: Number(classId), limit: 5000 }) : Promise.resolve(null)),
    classId,
  );

  const filtersRef = useRef<HTMLDivElement>(null);
  const hasClasses = classList.length > 0;
  useEffect(() => {
    if (hasClasses) filtersRef.current?.querySelector('select')?.focus();
  }, [hasClasses]);

  const current = coverage.data?.classes.find((c) => String(c.classId) === classId) ?? coverage.data?.classes[0] ?? null;
  const lines = useMemo(() => {
    if (!current) return [];
    const names = new Map((pupils.data?.rows ?? []).map((row) => [row.id, fullName(row)] as const));
    return pupilLines(current, names);
  }, [current, pupils.data]);
  const incomplete = lines.filter((line) => line.count > 0).length;
  const shown = onlyMissing ? lines.filter((line) => line.count > 0) : lines;

  if (classes.error) return <ErrorNotice error={classes.error} />;
  if (!classes.data) return <Loading />;
  if (classList.length === 0) {
    return (
      <EmptyState title="Классов пока нет">
        <p>Согласия собираются по классам. Сначала откройте учебный год и зачислите обучающихся.</p>
      </EmptyState>
    );
  }
  const classOptions = classList.map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils})` }));
  const chosenClass = classList.find((c) => String(c.id) === classId);

  return (
    <div className="stack">
      <div className="filters consents-filters" ref={filtersRef}>
        <SelectField label="Класс" value={classId} onValue={setChosen} options={classOptions} first
          hint={chosenClass ? `${chosenClass.yearName} учебный год${chosenClass.teacher ? `, классный руководитель ${chosenClass.teacher}` : ''}` : undefined} />
        <label className="checkbox-field">
          <input type="checkbox" checked={onlyMissing} onChange={(e) => setOnlyMissing(e.target.checked)} /> только с недостающими согласиями
        </label>
      </div>
      {classId ? (
        <div className="toolbar">
          <div className="button-row">
            <PrintButton label="Бланки согласий класса" document={{ kind: 'consentFormsClass', classId: Number(classId) }} />
            <PrintButton label="Список для классного руководителя" document={{ kind: 'consentCoverage', classId: Number(classId) }} />
          </div>
          <span className="shortcut-hint" aria-hidden="true">
            <Kbd>Tab</Kbd> — к фамилии, <Kbd>Enter</Kbd> — согласия семьи
          </span>
        </div>
      ) : null}
      <ErrorNotice error={coverage.error ?? pupils.error} />
      {!current ? (
        coverage.error ? null : <Loading />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table consents-coverage" id="coverage-table" aria-busy={coverage.loading || pupils.loading || undefined}>
              <caption className="table-caption">
                Класс {current.class} на {formatIsoDate(coverage.data?.date)}: {countOf(current.pupils, ['обучающийся', 'обучающихся', 'обучающихся'])}, не хватает
                согласий у {countOf(incomplete, ['семьи', 'семей', 'семей'])}. Согласие на распространение необязательно и здесь не учитывается.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Обучающийся</th>
                  {REQUIRED.map((purpose) => (
                    <th scope="col" key={purpose}>
                      {capitalize(CONSENT_PURPOSE_LABELS[purpose])}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((line) => (
                  <tr key={line.pupilId} className={line.count > 0 ? 'row-missing' : ''}>
                    <td>
                      <button type="button" className="link-button consents-pupil" onClick={() => onOpenFamily(line.pupilId)}>
                        {line.name}
                      </button>
                    </td>
                    {REQUIRED.map((purpose) => (
                      <td key={purpose} data-purpose={purpose}>
                        <MissingCell entries={line.missing[purpose]} refused={purpose === 'electronic_results' ? line.refused : []} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 ? (
              <p className="muted table-summary consents-empty">{lines.length ? 'У всех семей класса есть все обязательные согласия.' : 'В классе нет обучающихся.'}</p>
            ) : null}
          </div>
          <div className="table-wrap">
            <table className="data-table" id="refused-table" aria-label="Отказались от электронного дневника">
              <caption className="table-caption">
                Отказались от получения результатов в электронной форме: {countOf(current.refusedElectronic.length, ['представитель', 'представителя', 'представителей'])}.
                Этим семьям выдаются печатные выписки не реже раза в неделю, коды доступа им не выдаются.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Представитель</th>
                  <th scope="col">Обучающийся</th>
                </tr>
              </thead>
              <tbody>
                {current.refusedElectronic.map((row) => (
                  <tr key={`${row.guardianId}:${row.pupilId}`}>
                    <td>{row.guardian}</td>
                    <td>
                      <button type="button" className="link-button consents-pupil" onClick={() => onOpenFamily(row.pupilId)}>
                        {row.pupil}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {current.refusedElectronic.length === 0 ? <p className="muted table-summary consents-empty">Отказов нет.</p> : null}
          </div>
        </>
      )}
    </div>
  );
}

/** The gaps of one consent for one pupil; the pupil's own gap is not named again (the row says whose). */
function MissingCell({ entries = [], refused }: { entries: Missing[] | undefined; refused: string[] }) {
  if (entries.length === 0 && refused.length === 0) return <span className="consent-ok">оформлено</span>;
  return (
    <ul className="consent-missing">
      {entries.map((entry) => (
        <li key={`${entry.personKind}:${entry.personId}`}>
          <span className="consent-status consent-status-none">нет</span> {entry.personKind === 'pupil' ? 'обучающийся' : entry.person}
          {entry.reason ? <span className="muted small"> — {entry.reason}</span> : null}
        </li>
      ))}
      {refused.map((guardian) => (
        <li key={guardian}>
          <span className="consent-status consent-status-refused">отказ</span> {guardian}
          <span className="muted small"> — печатные выписки</span>
        </li>
      ))}
    </ul>
  );
}
