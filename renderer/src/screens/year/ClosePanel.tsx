import { useCallback, useMemo, useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { errorMessage } from '../../api/client';
import { useApi, useLoad, useSession } from '../../api/context';
import { ErrorNotice, Loading, Notice, useToast } from '../../components/ui';
import { formatDateTime } from '../../format';
import { Checklist } from './close/Checklist';
import { CloseAction, CloseResultView } from './close/CloseAction';
import { ClosedSummary, ReopenedNotice } from './close/ClosedSummary';
import { DecisionsTable, type DecideRequest } from './close/DecisionsTable';
import { classFacts, NO_FILTER, type CloseResult, type ReopenResult, type TableFilter } from './close/model';
import { ResultPreview } from './close/ResultPreview';
import { usePreview } from './close/usePreview';
import './close/close.css';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * «Закрытие года»: the checklist (what blocks the close, what only warns), the decision of every
 * pupil (editable by the administrator), the preview of the result with its numbered orders,
 * and the close itself; for a closed year, what the close did and «Отменить закрытие».
 * The director sees everything and changes nothing.
 */
export function ClosePanel({ yearId, onChanged }: { yearId: number; onChanged(): void }) {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const [orderDateInput, setOrderDateInput] = useState('');
  const orderDate = ISO_DAY.test(orderDateInput) ? orderDateInput : '';
  const preview = usePreview(yearId, orderDate);
  const structure = useLoad(() => api.invoke('years.get', { yearId }), String(yearId));
  const facts = useMemo(() => classFacts(structure.data), [structure.data]);

  const [filter, setFilter] = useState<TableFilter>(NO_FILTER);
  const [cursor, setCursor] = useState<number | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [pending, setPending] = useState<ReadonlySet<number>>(new Set());
  const [decideError, setDecideError] = useState<string | null>(null);
  const [closeResult, setCloseResult] = useState<CloseResult | null>(null);
  const [reopenResult, setReopenResult] = useState<ReopenResult | null>(null);

  const data = preview.data;
  const blocked = useMemo(() => new Set((data?.blockers ?? []).map((b) => b.pupilId)), [data]);
  const mayDecide = roleMayCall('year.decide', user.role);
  const mayClose = roleMayCall('year.close', user.role);
  const mayReopen = roleMayCall('year.reopen', user.role);
  const editable = mayDecide && data !== null && !data.closed;

  const { patch, reload } = preview;
  const decide = useCallback(
    async ({ row, decision, subjectIds }: DecideRequest) => {
      setPending((s) => new Set(s).add(row.pupilId));
      setDecideError(null);
      try {
        const result = await api.invoke('year.decide', { yearId, pupilId: row.pupilId, decision, subjectIds: subjectIds ?? [] });
        patch(result);
      } catch (error) {
        setDecideError(`${row.pupil} (${row.class}): ${errorMessage(error)}`);
      } finally {
        setPending((s) => {
          const next = new Set(s);
          next.delete(row.pupilId);
          return next;
        });
        // Totals, blockers, next classes and orders follow from every decision.
        reload();
      }
    },
    [api, yearId, patch, reload],
  );

  const jumpTo = useCallback(
    (pupilId: number) => {
      const row = data?.decisions.find((d) => d.pupilId === pupilId);
      setFilter(row ? { ...NO_FILTER, classId: String(row.classId) } : NO_FILTER);
      setCursor(pupilId);
      setFocusRequest((n) => n + 1);
    },
    [data],
  );

  const afterClose = (result: CloseResult) => {
    setCloseResult(result);
    setReopenResult(null);
    toast(result.changed ? `Учебный год ${result.year} закрыт` : `Учебный год ${result.year} уже был закрыт`);
    reload();
    structure.reload();
    onChanged();
  };
  const afterReopen = (result: ReopenResult) => {
    setReopenResult(result);
    setCloseResult(null);
    toast(`Закрытие учебного года ${result.year} отменено`);
    reload();
    structure.reload();
    onChanged();
  };

  if (!data) {
    return preview.error ? <ErrorNotice error={preview.error} /> : <Loading text="Готовлю предварительный просмотр закрытия…" />;
  }

  const closedAt = structure.data?.year.closedAt ?? null;
  return (
    <div className="stack yc-panel" aria-busy={preview.loading || undefined} data-testid="year-close-panel">
      <div className="yc-status" role="status" aria-live="polite">
        {data.closed ? (
          <span className="yc-state yc-state-closed">Год закрыт</span>
        ) : (
          <span className="yc-state yc-state-open">Год открыт</span>
        )}
        <span className="muted small">
          {preview.loading ? 'Обновляю просмотр…' : `Учебный год ${data.year}; следующий — ${data.nextYear.name}.`}
        </span>
      </div>
      {reopenResult ? <ReopenedNotice result={reopenResult} /> : null}
      {preview.error ? <ErrorNotice error={preview.error} /> : null}
      {!mayDecide && !data.closed ? (
        <Notice>Просмотр: решения о переводе принимает и год закрывает администратор.</Notice>
      ) : null}

      {data.closed ? (
        <>
          {closeResult ? <CloseResultView result={closeResult} /> : null}
          <ClosedSummary
            preview={data}
            closedAt={closedAt ? formatDateTime(closedAt, false) : null}
            mayReopen={mayReopen}
            details={closeResult === null}
            onReopened={afterReopen}
          />
        </>
      ) : (
        <>
          <Checklist blockers={data.blockers} warnings={data.warnings} mayDecide={mayDecide} onJump={jumpTo} />
          <ResultPreview preview={data} orderDate={orderDateInput} onOrderDate={setOrderDateInput} editable={mayClose} />
          {mayClose ? <CloseAction preview={data} orderDate={orderDate} stale={preview.loading || pending.size > 0} onClosed={afterClose} /> : null}
        </>
      )}

      {decideError ? <ErrorNotice>{decideError}</ErrorNotice> : null}
      {data.closed && data.decisions.length === 0 ? null : (
        <DecisionsTable
          rows={data.decisions}
          blocked={blocked}
          facts={facts}
          editable={editable}
          pending={pending}
          filter={filter}
          onFilter={(next) => {
            setFilter(next);
            setCursor(null);
          }}
          cursor={cursor}
          onCursor={setCursor}
          focusRequest={focusRequest}
          onDecide={(request) => void decide(request)}
        />
      )}
    </div>
  );
}
