import { memo } from 'react';
import type { ClosePreview } from '../../../../../common/api/year-contract';
import { TextField } from '../../../components/ui';
import { formatIsoDate, formatNumber } from '../../../format';

type Totals = ClosePreview['totals'];
type Order = { kind: string; number: string; date: string; title: string; pupils: number };

/** The four totals of a close, as count cards. */
export function TotalsCards({ totals, label }: { totals: Totals; label: string }) {
  const cards: { title: string; value: number }[] = [
    { title: 'Переведено', value: totals.promoted },
    { title: 'Условно переведено', value: totals.conditional },
    { title: 'Оставлено на повторное обучение', value: totals.repeat },
    { title: 'Выпущено', value: totals.graduated },
  ];
  return (
    <dl className="counts yc-totals" aria-label={label}>
      {cards.map((c) => (
        <div key={c.title} className="count-card">
          <dt>{c.title}</dt>
          <dd>{formatNumber(c.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The orders a close issues (or issued): number, date, title, pupils. */
export function OrdersTable({ orders, caption }: { orders: readonly Order[]; caption: string }) {
  if (orders.length === 0) return <p className="muted">Приказов нет: в году нет обучающихся.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table yc-orders">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">Дата</th>
            <th scope="col">Приказ</th>
            <th scope="col">Обучающихся</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.kind}>
              <td className="mono nowrap">№ {o.number}</td>
              <td className="nowrap">{formatIsoDate(o.date)}</td>
              <td>{o.title}</td>
              <td className="mono-digits">{formatNumber(o.pupils)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Next year's classes in a compact grid: «6А ← 5А: 25». */
export function NextClassesGrid({ preview }: { preview: ClosePreview }) {
  if (preview.nextClasses.length === 0) return <p className="muted">В следующий год никто не переходит.</p>;
  return (
    <ul className="yc-next-grid" aria-label={`Классы ${preview.nextYear.name}`}>
      {preview.nextClasses.map((c) => (
        <li key={c.label} className={`yc-next${c.exists || !preview.nextYear.exists ? '' : ' yc-next-new'}`}>
          <div className="yc-next-head">
            <strong>{c.label}</strong> <span className="mono-digits">{formatNumber(c.pupils)}</span>
            {c.exists || !preview.nextYear.exists ? null : <span className="tag">будет создан</span>}
          </div>
          <div className="yc-next-sources small muted">
            {c.sources.length ? c.sources.map((s) => `← ${s.from}: ${formatNumber(s.pupils)}`).join(', ') : 'пока никого'}
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * «Что получится»: totals, next year's classes and the numbered orders for the chosen order
 * date (changing the date re-reads the preview: numbers follow the order book of that date).
 */
export const ResultPreview = memo(function ResultPreview({
  preview,
  orderDate,
  onOrderDate,
  editable,
}: {
  preview: ClosePreview;
  orderDate: string;
  onOrderDate(date: string): void;
  editable: boolean;
}) {
  const dateError = orderDate && !/^\d{4}-\d{2}-\d{2}$/.test(orderDate) ? 'укажите дату приказов' : undefined;
  return (
    <section className="panel yc-result" aria-labelledby="yc-result-title">
      <h2 className="panel-title" id="yc-result-title">
        Что получится
      </h2>
      <TotalsCards totals={preview.totals} label="Итоги закрытия" />
      <h3 className="yc-subtitle">
        Классы {preview.nextYear.name}
        {preview.nextYear.exists ? null : <span className="tag">год будет открыт закрытием</span>}
      </h3>
      <NextClassesGrid preview={preview} />
      <h3 className="yc-subtitle">Приказы</h3>
      <div className="yc-order-date">
        {editable ? (
          <TextField
            label="Дата приказов"
            type="date"
            value={orderDate || preview.orderDate}
            onValue={onOrderDate}
            error={dateError}
            hint="По умолчанию — последний день учебного года. Номера продолжают книгу приказов."
            fieldClassName="field-narrow"
          />
        ) : (
          <p>
            Дата приказов: <strong>{formatIsoDate(preview.orderDate)}</strong>
          </p>
        )}
      </div>
      <OrdersTable orders={preview.orders} caption={`Будут изданы от ${formatIsoDate(preview.orderDate)}`} />
    </section>
  );
});
