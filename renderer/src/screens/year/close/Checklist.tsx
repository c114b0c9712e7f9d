import { memo, useState } from 'react';
import { countOf } from '../../../format';
import { compactReasons, groupBlockers, groupWarnings, warningKinds, type Blocker, type Warning } from './model';

/** Pupils listed per class before «Показать всех»: a class with no marks at all stays readable. */
const PUPILS_SHOWN = 25;

/**
 * «Что мешает закрытию»: blockers (no year mark in a subject) grouped by class, each pupil with
 * a jump to their row in the decisions table; warnings (journals not sealed, orders missing)
 * apart and in the warning colour, since they do not stop the close.
 */
export const Checklist = memo(function Checklist({
  blockers,
  warnings,
  mayDecide,
  onJump,
}: {
  blockers: readonly Blocker[];
  warnings: readonly Warning[];
  mayDecide: boolean;
  onJump(pupilId: number): void;
}) {
  const groups = groupBlockers(blockers);
  const warningGroups = groupWarnings(warnings);
  const pupils = groups.reduce((n, g) => n + g.pupils.length, 0);
  return (
    <section className="panel yc-checklist" aria-labelledby="yc-checklist-title">
      <h2 className="panel-title" id="yc-checklist-title">
        Проверка перед закрытием
      </h2>
      <div className="yc-check-head">
        <h3 className="yc-subtitle" id="yc-blockers-title">
          Препятствия{' '}
          <span className={`yc-badge ${blockers.length ? 'yc-badge-danger' : 'yc-badge-ok'}`} data-testid="blockers-count">
            {blockers.length}
          </span>
        </h3>
        {blockers.length ? (
          <span className="muted small">
            {countOf(pupils, ['обучающийся', 'обучающихся', 'обучающихся'])} в {countOf(groups.length, ['классе', 'классах', 'классах'])}: поставьте
            годовую отметку в журнале или примите решение вручную.
          </span>
        ) : null}
      </div>
      {blockers.length === 0 ? (
        <p className="yc-ok" role="status">
          Препятствий нет: у каждого обучающегося есть годовые отметки или решение.
        </p>
      ) : (
        <div className="yc-groups" role="list" aria-labelledby="yc-blockers-title">
          {groups.map((group, index) => (
            <BlockerClass key={group.classLabel} group={group} open={index < 4} mayDecide={mayDecide} onJump={onJump} />
          ))}
        </div>
      )}

      <h3 className="yc-subtitle" id="yc-warnings-title">
        Предупреждения <span className={`yc-badge ${warnings.length ? 'yc-badge-warning' : 'yc-badge-ok'}`}>{warnings.length}</span>
      </h3>
      {warnings.length === 0 ? (
        <p className="muted">Предупреждений нет.</p>
      ) : (
        <>
          <details className="yc-warnings-box" open={warningGroups.length <= 3}>
            <summary className="muted small">
              Закрытию не мешают, но их стоит устранить: журналы сдать в архив, приказы внести в книгу (
              {countOf(warningGroups.length, ['класс', 'класса', 'классов'])}).
            </summary>
            <ul className="yc-warnings" aria-labelledby="yc-warnings-title">
              {warningGroups.map((g) => (
                <WarningLine key={g.classLabel ?? ''} classLabel={g.classLabel} reasons={g.reasons} />
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
});

function BlockerClass({
  group,
  open,
  mayDecide,
  onJump,
}: {
  group: ReturnType<typeof groupBlockers>[number];
  open: boolean;
  mayDecide: boolean;
  onJump(pupilId: number): void;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? group.pupils : group.pupils.slice(0, PUPILS_SHOWN);
  return (
    <details className="yc-group" open={open} role="listitem">
      <summary>
        <strong>{group.classLabel}</strong>{' '}
        <span className="yc-badge yc-badge-danger">{group.count}</span>{' '}
        <span className="muted small">{countOf(group.pupils.length, ['обучающийся', 'обучающихся', 'обучающихся'])}</span>
      </summary>
      <table className="data-table yc-blockers-table">
        <thead>
          <tr>
            <th scope="col">Обучающийся</th>
            <th scope="col">Что мешает</th>
            <th scope="col">
              <span className="visually-hidden">Действие</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.pupilId} data-testid="blocker-row">
              <td>{p.pupil}</td>
              <td>
                <ul className="yc-reasons">
                  {compactReasons(p.reasons).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </td>
              <td className="row-actions">
                <button type="button" className="btn btn-small" onClick={() => onJump(p.pupilId)}>
                  {mayDecide ? 'Принять решение' : 'Показать в таблице'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length < group.pupils.length ? (
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setAll(true)}>
          Показать всех ({group.pupils.length})
        </button>
      ) : null}
    </details>
  );
}

/** Names listed per kind of warning before «и ещё N». */
const NAMES_SHOWN = 3;

function WarningLine({ classLabel, reasons }: { classLabel: string | null; reasons: string[] }) {
  return (
    <li className="yc-warning">
      <span className="yc-warning-mark" aria-hidden="true">
        !
      </span>
      <strong>{classLabel ?? 'Школа'}:</strong>{' '}
      {warningKinds(reasons).map((k, i) => (
        <span key={k.kind}>
          {i > 0 ? '; ' : null}
          <WarningKind kind={k.kind} names={k.names} />
        </span>
      ))}
    </li>
  );
}

function WarningKind({ kind, names }: { kind: string; names: string[] }) {
  const [all, setAll] = useState(false);
  if (names.length === 0) return <>{kind}</>;
  const shown = all ? names : names.slice(0, NAMES_SHOWN);
  return (
    <>
      {kind} — {names.length}: {shown.join(', ')}
      {shown.length < names.length ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => setAll(true)}>
            и ещё {names.length - shown.length}
          </button>
        </>
      ) : null}
    </>
  );
}
