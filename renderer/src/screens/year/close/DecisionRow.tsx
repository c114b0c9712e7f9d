import { memo } from 'react';
import { DECISION_LABELS, DECISIONS, type CloseDecision } from '../../../../../common/api/year-contract';
import { decisionAllowed, hasDebt } from './model';

/**
 * One pupil's row of the decisions table. Pure on its props and without handlers of its own (the
 * table listens on its body and finds the row by `data-index`), so moving the cursor re-renders
 * two rows, not the page.
 */
/** The table's body handles changes (delegation); React still wants a handler on a controlled select. */
const HANDLED_BY_TABLE = () => undefined;

export const DecisionRow = memo(function DecisionRow({
  row,
  index,
  active,
  busy,
  blocked,
  parallel,
  editable,
}: {
  row: CloseDecision;
  index: number;
  active: boolean;
  busy: boolean;
  blocked: boolean;
  parallel: number | undefined;
  editable: boolean;
}) {
  const tab = active ? 0 : -1;
  return (
    <tr
      data-pupil-id={row.pupilId}
      data-index={index}
      tabIndex={tab}
      aria-selected={active}
      aria-busy={busy || undefined}
      aria-label={`${row.pupil}, ${row.class}: ${DECISION_LABELS[row.decision]}`}
      className={`${active ? 'row-active' : ''}${blocked ? ' yc-row-blocked' : ''}`}
    >
      <td className="nowrap">{row.class}</td>
      <td>
        {row.pupil}
        {blocked ? <span className="tag yc-tag-danger">нет отметок</span> : null}
      </td>
      <td className="muted">{row.proposed ? DECISION_LABELS[row.proposed] : '—'}</td>
      <td>
        {editable ? (
          <select className="yc-select" data-role="decision" aria-label={`Решение — ${row.pupil}`} value={row.decision} disabled={busy} tabIndex={tab} onChange={HANDLED_BY_TABLE}>
            {DECISIONS.map((d) => (
              <option key={d} value={d} disabled={!decisionAllowed(d, parallel)}>
                {DECISION_LABELS[d]}
              </option>
            ))}
          </select>
        ) : (
          <strong>{DECISION_LABELS[row.decision]}</strong>
        )}
      </td>
      <td>
        {hasDebt(row.decision) ? (
          <span className="yc-subjects-cell">
            <span>{row.subjects.length ? row.subjects.join(', ') : <span className="muted">не указаны</span>}</span>
            {editable ? (
              <button
                type="button"
                className="btn btn-small btn-quiet"
                data-action="subjects"
                tabIndex={tab}
                disabled={busy}
                aria-label={`Предметы задолженности — ${row.pupil}`}
              >
                Изменить…
              </button>
            ) : null}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="nowrap">{row.nextClass ?? (row.decision === 'graduated' ? 'выпуск' : '—')}</td>
      <td>
        {busy ? <span className="spinner" aria-label="Сохраняю" /> : null}
        {row.explicit ? (
          <span className="yc-source">
            <span className="tag" title="Решение принято вручную, а не по отметкам">
              вручную
            </span>
            {editable ? (
              <button
                type="button"
                className="btn btn-small btn-quiet"
                data-action="reset"
                tabIndex={tab}
                disabled={busy}
                aria-label={`Вернуть предложенное — ${row.pupil}`}
                title="Вернуть решение, предложенное по годовым отметкам (клавиша 0)"
              >
                ↺ по отметкам
              </button>
            ) : null}
          </span>
        ) : null}
      </td>
    </tr>
  );
});
