import { useEffect, useMemo, useRef, useState, type ChangeEvent, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { DECISION_LABELS, DECISIONS, type CloseDecision, type Decision } from '../../../../../common/api/year-contract';
import { Kbd, SelectField, TextField } from '../../../components/ui';
import { countOf, formatNumber } from '../../../format';
import {
  classesOf,
  DECISION_KEYS,
  decisionAllowed,
  filterDecisions,
  hasDebt,
  PAGE_SIZE,
  type ClassFacts,
  type DecisionFilter,
  type TableFilter,
} from './model';
import { DecisionRow } from './DecisionRow';
import { SubjectsDialog } from './SubjectsDialog';

export interface DecideRequest {
  row: CloseDecision;
  /** null: back to the proposal of the final marks. */
  decision: Decision | null;
  subjectIds?: number[];
}

const FILTER_OPTIONS: readonly { value: DecisionFilter; label: string }[] = [
  { value: '', label: 'Все решения' },
  ...DECISIONS.map((d) => ({ value: d, label: DECISION_LABELS[d] })),
  { value: 'explicit', label: 'Принятые вручную' },
  { value: 'blocked', label: 'С препятствиями' },
];

/**
 * Every pupil of the year with the proposed and the chosen decision. Paged (a page of
 * PAGE_SIZE rows) so that 3,000 pupils stay quick; the keyboard cursor walks across pages.
 * Keys on a row: ↑ ↓ PgUp PgDn Home End move, 1–4 choose the decision, 0 returns to the
 * proposal, Enter opens the subjects of a debt.
 */
export function DecisionsTable({
  rows,
  blocked,
  facts,
  editable,
  pending,
  filter,
  onFilter,
  cursor,
  onCursor,
  focusRequest,
  onDecide,
}: {
  rows: readonly CloseDecision[];
  blocked: ReadonlySet<number>;
  facts: ClassFacts;
  editable: boolean;
  pending: ReadonlySet<number>;
  filter: TableFilter;
  onFilter(filter: TableFilter): void;
  cursor: number | null;
  onCursor(pupilId: number | null): void;
  /** Grows when the row under the cursor must take the focus (a jump from the checklist). */
  focusRequest: number;
  onDecide(request: DecideRequest): void;
}) {
  const classes = useMemo(() => classesOf(rows), [rows]);
  // A class that is no longer in the list (another year's data) filters nothing out.
  const effective = useMemo(
    () => (filter.classId && !classes.some((c) => String(c.id) === filter.classId) ? { ...filter, classId: '' } : filter),
    [filter, classes],
  );
  const shown = useMemo(() => filterDecisions(rows, effective, blocked), [rows, effective, blocked]);
  const found = cursor === null ? -1 : shown.findIndex((r) => r.pupilId === cursor);
  const active = found >= 0 ? found : 0;
  const page = Math.floor(active / PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const pageRows = shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  // The row whose debt subjects are being chosen, and for which decision.
  const [subjectsOf, setSubjectsOf] = useState<{ row: CloseDecision; decision: Decision; required: boolean } | null>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const wantFocus = useRef(false);

  const activeId = shown[active]?.pupilId ?? null;
  // The focus follows the cursor only when the keyboard (or a jump) moved it.
  useEffect(() => {
    if (!wantFocus.current || activeId === null) return;
    wantFocus.current = false;
    const row = bodyRef.current?.querySelector<HTMLElement>(`tr[data-pupil-id="${activeId}"]`);
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }, [activeId, page]);
  useEffect(() => {
    if (focusRequest === 0) return;
    wantFocus.current = true;
    const row = bodyRef.current?.querySelector<HTMLElement>(`tr[data-pupil-id="${cursor ?? ''}"]`);
    if (row) {
      wantFocus.current = false;
      row.focus();
      row.scrollIntoView({ block: 'center' });
    }
    // Only a new request moves the focus; the cursor alone does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  const moveTo = (index: number) => {
    const target = shown[Math.max(0, Math.min(shown.length - 1, index))];
    if (!target) return;
    wantFocus.current = true;
    onCursor(target.pupilId);
  };

  const choose = (row: CloseDecision, decision: Decision | null) => {
    if (decision !== null && !decisionAllowed(decision, facts.parallel.get(row.classId))) return;
    const options = facts.subjects.get(row.classId) ?? [];
    // A debt decision keeps the subjects already chosen; others carry none.
    const subjectIds =
      decision !== null && hasDebt(decision) ? options.filter((o) => row.subjects.includes(o.name)).map((o) => o.id) : [];
    // No subjects chosen and no debt in the year marks: the subjects must be named first.
    if (decision !== null && hasDebt(decision) && subjectIds.length === 0 && !(row.proposed && hasDebt(row.proposed))) {
      setSubjectsOf({ row, decision, required: true });
      return;
    }
    onDecide({ row, decision, subjectIds });
  };

  /** The row an event inside the table body belongs to. */
  const rowOf = (target: EventTarget): { row: CloseDecision; index: number; element: HTMLElement } | null => {
    const element = (target as HTMLElement).closest<HTMLElement>('tr[data-index]');
    const index = Number(element?.dataset.index);
    const row = shown[index];
    return element && row ? { row, index, element } : null;
  };

  const onBodyKey = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const at = rowOf(event.target);
    if (!at || event.altKey || event.ctrlKey || event.metaKey) return;
    const { row, index, element } = at;
    const target = event.target as HTMLElement;
    if (target instanceof HTMLSelectElement) {
      // ↑ ↓ on a closed list would change the decision: here they move between rows (Alt+↓ or Space opens the list).
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        moveTo(index + (event.key === 'ArrowDown' ? 1 : -1));
      }
      return;
    }
    if (target !== element) return;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE_SIZE,
      PageUp: index - PAGE_SIZE,
      Home: 0,
      End: shown.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      moveTo(to);
      return;
    }
    if (!editable) return;
    const decision = DECISION_KEYS[event.key];
    if (decision) {
      event.preventDefault();
      if (decision !== row.decision || !row.explicit) choose(row, decision);
    } else if (event.key === '0' && row.explicit) {
      event.preventDefault();
      choose(row, null);
    } else if (event.key === 'Enter' && hasDebt(row.decision)) {
      event.preventDefault();
      setSubjectsOf({ row, decision: row.decision, required: false });
    }
  };

  const onBodyChange = (event: ChangeEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement;
    const at = rowOf(target);
    if (at && target instanceof HTMLSelectElement && target.dataset.role === 'decision') choose(at.row, target.value as Decision);
  };

  const onBodyClick = (event: MouseEvent<HTMLTableSectionElement>) => {
    const at = rowOf(event.target);
    if (!at) return;
    const action = (event.target as HTMLElement).closest<HTMLElement>('button[data-action]')?.dataset.action;
    if (action === 'subjects') setSubjectsOf({ row: at.row, decision: at.row.decision, required: false });
    else if (action === 'reset') choose(at.row, null);
    else if (at.index !== active) onCursor(at.row.pupilId);
  };

  const onBodyFocus = (event: FocusEvent<HTMLTableSectionElement>) => {
    const at = rowOf(event.target);
    if (at && at.index !== active) onCursor(at.row.pupilId);
  };

  const first = shown.length ? page * PAGE_SIZE + 1 : 0;
  const last = page * PAGE_SIZE + pageRows.length;

  return (
    <section className="panel yc-decisions" aria-labelledby="yc-decisions-title">
      <h2 className="panel-title" id="yc-decisions-title">
        Решения по обучающимся
      </h2>
      <div className="yc-filters">
        <TextField
          label="Фамилия"
          type="search"
          value={filter.query}
          onValue={(query) => onFilter({ ...filter, query })}
          autoComplete="off"
          hint="Начало фамилии (ё = е)"
        />
        <SelectField
          label="Класс"
          value={effective.classId}
          onValue={(classId) => onFilter({ ...filter, classId })}
          options={[{ value: '', label: 'Все классы' }, ...classes.map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils})` }))]}
        />
        <SelectField
          label="Решение"
          value={filter.decision}
          onValue={(decision) => onFilter({ ...filter, decision })}
          options={FILTER_OPTIONS}
        />
      </div>
      {editable ? (
        <p className="shortcut-hint yc-keys" aria-hidden="true">
          В строке: <Kbd>↑</Kbd> <Kbd>↓</Kbd> — выбор, {DECISIONS.map((d, i) => (
            <span key={d}>
              <Kbd>{i + 1}</Kbd> — {DECISION_LABELS[d]},{' '}
            </span>
          ))}
          <Kbd>0</Kbd> — вернуть предложенное, <Kbd>Enter</Kbd> — предметы задолженности
        </p>
      ) : null}
      <div className="table-wrap yc-table-wrap">
        <table className="data-table yc-table" aria-labelledby="yc-decisions-title" aria-rowcount={shown.length}>
          <caption className="table-caption">
            {shown.length === rows.length
              ? countOf(rows.length, ['обучающийся', 'обучающихся', 'обучающихся'])
              : `Найдено ${formatNumber(shown.length)} из ${formatNumber(rows.length)}`}
            {pages > 1 ? `; строки ${formatNumber(first)}–${formatNumber(last)}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Класс</th>
              <th scope="col">ФИО</th>
              <th scope="col">Предложено</th>
              <th scope="col">Решение</th>
              <th scope="col">Предметы задолженности</th>
              <th scope="col">Куда</th>
              <th scope="col">
                <span className="visually-hidden">Источник решения</span>
              </th>
            </tr>
          </thead>
          <tbody ref={bodyRef} onKeyDown={onBodyKey} onChange={onBodyChange} onClick={onBodyClick} onFocus={onBodyFocus}>
            {pageRows.map((row, i) => (
              <DecisionRow
                key={row.pupilId}
                row={row}
                index={page * PAGE_SIZE + i}
                active={page * PAGE_SIZE + i === active}
                busy={pending.has(row.pupilId)}
                blocked={blocked.has(row.pupilId)}
                parallel={facts.parallel.get(row.classId)}
                editable={editable}
              />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="muted yc-empty">Никого не нашлось: измените фильтр.</p> : null}
      </div>
      {pages > 1 ? (
        <nav className="yc-pager" aria-label="Страницы таблицы решений">
          <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => onCursor(shown[(page - 1) * PAGE_SIZE]?.pupilId ?? null)}>
            ‹ Назад
          </button>
          <span>
            Страница {page + 1} из {pages}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={page >= pages - 1}
            onClick={() => onCursor(shown[(page + 1) * PAGE_SIZE]?.pupilId ?? null)}
          >
            Далее ›
          </button>
        </nav>
      ) : null}
      {subjectsOf ? (
        <SubjectsDialog
          row={subjectsOf.row}
          decision={subjectsOf.decision}
          required={subjectsOf.required}
          options={facts.subjects.get(subjectsOf.row.classId) ?? []}
          onClose={() => setSubjectsOf(null)}
          onSave={(subjectIds) => onDecide({ row: subjectsOf.row, decision: subjectsOf.decision, subjectIds })}
        />
      ) : null}
    </section>
  );
}
