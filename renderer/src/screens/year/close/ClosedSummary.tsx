import { useState } from 'react';
import { REOPEN_REMOVED_LABELS, type ClosePreview } from '../../../../../common/api/year-contract';
import { useApi, useLoad } from '../../../api/context';
import { ConfirmDialog, ErrorNotice, Notice } from '../../../components/ui';
import { formatNumber } from '../../../format';
import type { ReopenResult } from './model';
import { OrdersTable, TotalsCards } from './ResultPreview';

/** Kinds of the orders a close issues. */
const CLOSE_KINDS = new Set<string>(['promotion', 'conditional_promotion', 'repeat', 'graduation']);

/**
 * A closed year: what the close did (from the preview of the closed year) and «Отменить
 * закрытие» with a confirmation; a refusal (the new year already depends on the close) shows
 * the API's reason in the dialog.
 */
export function ClosedSummary({
  preview,
  closedAt,
  mayReopen,
  details,
  onReopened,
}: {
  preview: ClosePreview;
  closedAt: string | null;
  mayReopen: boolean;
  /** False when the result of the close is shown right above: no need to repeat it. */
  details: boolean;
  onReopened(result: ReopenResult): void;
}) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="panel panel-accent yc-closed" aria-labelledby="yc-closed-title">
      <h2 className="panel-title" id="yc-closed-title">
        {details ? `Учебный год ${preview.year} закрыт${closedAt ? ` ${closedAt}` : ''}` : 'Отмена закрытия'}
      </h2>
      <p>
        Данные {preview.year} только для чтения. Обучающиеся переведены в классы {preview.nextYear.name}.
      </p>
      {details ? <IssuedOrders year={preview.year} /> : null}
      {details ? <NextYearClasses name={preview.nextYear.name} /> : null}
      {mayReopen ? (
        <div className="yc-close-row">
          <button type="button" className="btn btn-danger-quiet" onClick={() => setConfirming(true)}>
            Отменить закрытие
          </button>
          <span className="muted small">Возможно, пока в {preview.nextYear.name} нет изменений, которые зависят от закрытия.</span>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Отменить закрытие ${preview.year}?`}
          danger
          confirmLabel="Отменить закрытие"
          text={
            <>
              <p>
                Будут удалены приказы закрытия, записи о переводе и выпуске и записи о классах {preview.nextYear.name}, созданные закрытием; если
                закрытие открыло {preview.nextYear.name}, этот год тоже будет удалён. Номера приказов освободятся.
              </p>
              <p>Учебный год {preview.year} снова станет доступен для изменений; решения по обучающимся сохранятся.</p>
            </>
          }
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const result = await api.invoke('year.reopen', { yearId: preview.yearId });
            setConfirming(false);
            onReopened(result);
          }}
        />
      ) : null}
    </section>
  );
}

/** «Закрытие отменено: удалено 4 приказов, 120 записей движения…». */
export function ReopenedNotice({ result }: { result: ReopenResult }) {
  const parts = Object.entries(result.removed)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${REOPEN_REMOVED_LABELS[kind] ?? kind}: ${formatNumber(n)}`);
  return (
    <Notice kind="success">
      {result.changed ? `Закрытие учебного года ${result.year} отменено.` : `Учебный год ${result.year} не был закрыт: отменять нечего.`}
      {parts.length ? ` Удалено — ${parts.join(', ')}.` : ''}
    </Notice>
  );
}

/** Which total each order of the close counts. */
const TOTAL_OF_KIND = { promotion: 'promoted', conditional_promotion: 'conditional', repeat: 'repeat', graduation: 'graduated' } as const;

/**
 * The orders the close issued, as the order book holds them (numbers and dates as issued), and
 * the totals they add up to: each pupil of the close is in exactly one of them.
 */
function IssuedOrders({ year }: { year: string }) {
  const api = useApi();
  const book = useLoad(() => api.invoke('orders.list', { yearLabel: year }), year);
  if (book.error) return <ErrorNotice error={book.error} />;
  if (!book.data) return null;
  const issued = book.data.orders.filter((o) => CLOSE_KINDS.has(o.kind));
  const totals = { promoted: 0, conditional: 0, repeat: 0, graduated: 0 };
  for (const o of issued) if (o.kind in TOTAL_OF_KIND) totals[TOTAL_OF_KIND[o.kind as keyof typeof TOTAL_OF_KIND]] += o.pupils;
  return (
    <>
      <TotalsCards totals={totals} label="Итоги закрытия" />
      <OrdersTable orders={issued} caption="Изданные приказы" />
    </>
  );
}

/** Next year's classes with their pupils now (the close put the promoted there). */
function NextYearClasses({ name }: { name: string }) {
  const api = useApi();
  const next = useLoad(async () => {
    const { years } = await api.invoke('years.list', {});
    const found = years.find((y) => y.name === name);
    return found ? api.invoke('years.get', { yearId: found.id }) : null;
  }, name);
  if (next.error) return <ErrorNotice error={next.error} />;
  if (!next.data) return null;
  const classes = next.data.classes;
  return (
    <>
      <h3 className="yc-subtitle">Классы {name}</h3>
      {classes.length === 0 ? (
        <p className="muted">Классов нет.</p>
      ) : (
        <ul className="yc-next-grid" aria-label={`Классы ${name}`}>
          {classes.map((c) => (
            <li key={c.id} className="yc-next">
              <div className="yc-next-head">
                <strong>{c.label}</strong> <span className="mono-digits">{formatNumber(c.pupils)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
