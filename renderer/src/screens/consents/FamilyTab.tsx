import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import type { ConsentHistoryRow } from '../../../../common/api/consents-contract';
import { CONSENT_PURPOSE_LABELS, CONSENT_STATUS_LABELS, PUPIL_SIGNS_FROM_AGE } from '../../../../common/api/consents';
import { useApi, useLoad, useSession } from '../../api/context';
import { EmptyState, ErrorNotice, Kbd, Loading, Notice, TextField, useToast } from '../../components/ui';
import { countOf, formatDateTime, formatIsoDate } from '../../format';
import { fullName, PrintButton, useDebounced } from '../contingent/common';
import { RecordDialog, WithdrawDialog, type PurposeLine } from './FamilyDialogs';
import { FileButton, statusClass, statusLabel } from './shared';

/** «Семья»: pick a pupil, then every consent of the pupil and of each guardian, with actions and history. */
export function FamilyTab({ pupilId, onPupil }: { pupilId: number | null; onPupil(id: number): void }) {
  return (
    <div className="stack">
      <PupilPicker onPick={onPupil} autoFocus={pupilId === null} />
      {pupilId === null ? (
        <EmptyState title="Выберите обучающегося">
          <p>Найдите обучающегося по фамилии или откройте семью из списка класса на вкладке «По классам».</p>
        </EmptyState>
      ) : (
        <FamilyView key={pupilId} pupilId={pupilId} />
      )}
    </div>
  );
}

/* ------------------------------------------------------------ pupil search */

function PupilPicker({ onPick, autoFocus }: { onPick(id: number): void; autoFocus: boolean }) {
  const api = useApi();
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 150);
  const found = useLoad(
    () => (settled ? api.invoke('pupils.search', { query: settled, includeNotEnrolled: true, limit: 20 }) : Promise.resolve(null)),
    settled,
  );
  const rows = settled ? (found.data?.rows ?? []) : [];
  const [cursor, setCursor] = useState({ key: '', index: 0 });
  const active = cursor.key === settled ? Math.min(cursor.index, Math.max(rows.length - 1, 0)) : 0;
  const inputRef = useRef<HTMLInputElement>(null);

  const pick = (id: number) => {
    setQuery('');
    onPick(id);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!rows.length) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setCursor({ key: settled, index: Math.min(active + 1, rows.length - 1) });
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setCursor({ key: settled, index: Math.max(active - 1, 0) });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      pick(rows[active]!.id);
    } else if (event.key === 'Escape') {
      setQuery('');
    }
  };

  return (
    <div className="consents-picker" onKeyDown={onKeyDown}>
      <div className="filters consents-filters">
        <TextField
          ref={inputRef}
          label="Обучающийся"
          type="search"
          value={query}
          onValue={setQuery}
          first={autoFocus}
          autoComplete="off"
          hint="Начало фамилии, СНИЛС или № личного дела"
          aria-controls="consents-pupil-results"
        />
      </div>
      {settled ? (
        <div className="table-wrap consents-results">
          <ErrorNotice error={found.error} />
          <table className="data-table pupils-table" id="consents-pupil-results" aria-label="Найденные обучающиеся" aria-busy={found.loading || undefined}>
            <tbody>
              {rows.map((row, index) => (
                <tr key={row.id} aria-selected={index === active} className={`${index === active ? 'row-active' : ''}${row.enrolled ? '' : ' row-left'}`}>
                  <td>
                    <button type="button" className="link-button" tabIndex={-1} onClick={() => pick(row.id)}>
                      {fullName(row)}
                    </button>
                    {row.enrolled ? null : <span className="tag">выбыл(а)</span>}
                  </td>
                  <td className="nowrap">{formatIsoDate(row.birthDate)}</td>
                  <td>{row.class ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {found.data && rows.length === 0 ? <p className="muted table-summary">Никого не нашлось.</p> : null}
          <span className="shortcut-hint" aria-hidden="true">
            <Kbd>↑</Kbd> <Kbd>↓</Kbd> — выбор, <Kbd>Enter</Kbd> — открыть семью
          </span>
        </div>
      ) : null}
    </div>
  );
}

/* ---------------------------------------------------------------- family */

type Action = { kind: 'record'; line: PurposeLine } | { kind: 'withdraw'; line: PurposeLine };

function FamilyView({ pupilId }: { pupilId: number }) {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const family = useLoad(() => api.invoke('consents.family', { pupilId }), String(pupilId));
  const [action, setAction] = useState<Action | null>(null);
  const mayRecord = roleMayCall('consents.record', user.role);
  const mayWithdraw = roleMayCall('consents.withdraw', user.role);
  const mayAct = mayRecord || mayWithdraw;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = family.data !== null;
  useEffect(() => {
    if (loaded && !document.activeElement?.closest('.consents-picker')) headingRef.current?.focus();
  }, [loaded]);

  if (family.error && !family.data) return <ErrorNotice error={family.error} />;
  if (!family.data) return <Loading />;
  const data = family.data;
  const guardians = data.subjects.filter((s) => s.kind === 'guardian');

  return (
    <div className="stack" data-testid="consents-family">
      <div className="panel">
        <h2 className="panel-title" tabIndex={-1} ref={headingRef}>
          {data.pupil}
        </h2>
        <p className="muted">
          {countOf(data.age, ['год', 'года', 'лет'])}.{' '}
          {data.pupilSigns
            ? `С ${PUPIL_SIGNS_FROM_AGE} лет согласия на данные обучающегося подписывают и он сам, и представитель.`
            : 'Согласия на данные обучающегося подписывает законный представитель.'}{' '}
          Представителей: {guardians.length}.
        </p>
        {data.dataDestroyedAt ? (
          <Notice kind="warning">Персональные данные обучающегося уничтожены {formatDateTime(data.dataDestroyedAt, false)} по акту об уничтожении.</Notice>
        ) : null}
        <div className="button-row">
          <PrintButton label="Бланки согласий семьи" document={{ kind: 'consentFormsFamily', pupilId }} />
        </div>
      </div>
      <ErrorNotice error={family.error} />
      <div className="table-wrap">
        <table className="data-table consents-family-table" id="family-table" aria-busy={family.loading || undefined}>
          <caption className="table-caption">Согласия обучающегося и каждого представителя: последнее решение по каждой цели.</caption>
          <thead>
            <tr>
              <th scope="col">Согласие</th>
              <th scope="col">Решение</th>
              <th scope="col">Дата</th>
              <th scope="col">Версия текста</th>
              <th scope="col">Подписал</th>
              <th scope="col">Скан</th>
              {mayAct ? <th scope="col">Действия</th> : null}
            </tr>
          </thead>
          {data.subjects.map((subject) => (
            <tbody key={`${subject.kind}:${subject.guardianId ?? ''}`}>
              <tr className="consents-subject-row">
                <th scope="colgroup" colSpan={mayAct ? 7 : 6}>
                  {subject.name}
                  <span className="muted small"> — {subject.kind === 'pupil' ? 'обучающийся' : (subject.kinship ?? 'представитель')}</span>
                </th>
              </tr>
              {subject.purposes.map((entry) => {
                const line: PurposeLine = { subject, entry };
                return (
                  <tr key={entry.purpose} data-purpose={entry.purpose} data-subject={subject.name}>
                    <td>{CONSENT_PURPOSE_LABELS[entry.purpose]}</td>
                    <td data-testid="consent-status">
                      <span className={statusClass(entry.status)}>{statusLabel(entry.status)}</span>
                      {entry.destroyed ? <span className="tag">данные уничтожены</span> : null}
                      {entry.destroyDue && !entry.destroyed ? <div className="muted small">уничтожить до {formatIsoDate(entry.destroyDue)}</div> : null}
                    </td>
                    <td className="nowrap">{formatIsoDate(entry.decidedOn)}</td>
                    <td>{entry.templateVersion !== null ? `№ ${entry.templateVersion}` : ''}</td>
                    <td>
                      {entry.signedBy ?? ''}
                      {entry.signedByPupil ? <span className="muted small">{entry.signedBy ? ', ' : ''}и сам обучающийся</span> : null}
                      {entry.categories?.length ? <div className="muted small">Разрешено: {entry.categories.join('; ')}</div> : null}
                    </td>
                    <td>{entry.hasScan && entry.consentId !== null ? <ScanButton consentId={entry.consentId} /> : ''}</td>
                    {mayAct ? (
                      <td>
                        <div className="row-actions">
                          {mayRecord ? (
                            <button type="button" className="btn btn-small" onClick={() => setAction({ kind: 'record', line })}>
                              Записать согласие…
                            </button>
                          ) : null}
                          {mayWithdraw && entry.status === 'given' && entry.consentId !== null ? (
                            <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => setAction({ kind: 'withdraw', line })}>
                              Отозвать…
                            </button>
                          ) : null}
                        </div>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
      <HistoryTable history={data.history} />
      {action?.kind === 'record' ? (
        <RecordDialog
          family={data}
          line={action.line}
          onClose={() => setAction(null)}
          onDone={(text) => {
            setAction(null);
            toast(text);
            family.reload();
          }}
        />
      ) : null}
      {action?.kind === 'withdraw' ? (
        <WithdrawDialog line={action.line} onClose={() => setAction(null)} onDone={() => family.reload()} />
      ) : null}
    </div>
  );
}

function ScanButton({ consentId }: { consentId: number }) {
  const api = useApi();
  return <FileButton label="Скан" fileKey={String(consentId)} fetch={() => api.invoke('consents.scan', { consentId })} />;
}

function HistoryTable({ history }: { history: ConsentHistoryRow[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" id="history-table" aria-label="История согласий">
        <caption className="table-caption">История согласий семьи: каждое решение остаётся в реестре, новое не стирает прежнее.</caption>
        <thead>
          <tr>
            <th scope="col">Дата</th>
            <th scope="col">Чьи данные</th>
            <th scope="col">Согласие</th>
            <th scope="col">Решение</th>
            <th scope="col">Версия</th>
            <th scope="col">Подписал</th>
            <th scope="col">Скан</th>
            <th scope="col">Примечание</th>
            <th scope="col">Записано</th>
          </tr>
        </thead>
        <tbody>
          {history.map((row) => (
            <tr key={row.consentId}>
              <td className="nowrap">{formatIsoDate(row.decidedOn)}</td>
              <td>{row.subject}</td>
              <td>{CONSENT_PURPOSE_LABELS[row.purpose]}</td>
              <td>
                <span className={statusClass(row.status)}>{CONSENT_STATUS_LABELS[row.status]}</span>
                {row.destructionActId !== null ? (
                  <span className="tag">уничтожено по акту</span>
                ) : row.destroyDue ? (
                  <span className="muted small"> уничтожить до {formatIsoDate(row.destroyDue)}</span>
                ) : null}
              </td>
              <td>{row.templateVersion !== null ? `№ ${row.templateVersion}` : ''}</td>
              <td>
                {row.signedBy ?? ''}
                {row.signedByPupil ? <span className="muted small">{row.signedBy ? ', ' : ''}и сам обучающийся</span> : null}
              </td>
              <td>{row.hasScan ? <ScanButton consentId={row.consentId} /> : ''}</td>
              <td className="pre-wrap">{row.note ?? ''}</td>
              <td className="nowrap muted small">{formatDateTime(row.recordedAt, false)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.length === 0 ? <p className="muted table-summary consents-empty">Решений по согласиям пока не записано.</p> : null}
    </div>
  );
}
