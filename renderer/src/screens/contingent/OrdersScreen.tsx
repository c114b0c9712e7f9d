import { useState } from 'react';
import { useApi, useLoad } from '../../api/context';
import { Dialog, DialogActions, ErrorNotice, Loading, SelectField, TextField } from '../../components/ui';
import { countOf, formatIsoDate } from '../../format';
import { PrintButton, schoolYearLabel, schoolYearStart, todayIso } from './common';

type Tab = 'book' | 'movement';

/** «Приказы»: the book of orders on pupils per year, and the movement of pupils for a period. */
export function OrdersScreen() {
  const [tab, setTab] = useState<Tab>('book');
  return (
    <div className="stack">
      <div className="tabs" role="tablist" aria-label="Приказы">
        <button type="button" role="tab" id="tab-book" aria-selected={tab === 'book'} aria-controls="panel-orders" className={`btn ${tab === 'book' ? 'btn-primary' : ''}`}
          onClick={() => setTab('book')}>
          Книга приказов
        </button>
        <button type="button" role="tab" id="tab-movement" aria-selected={tab === 'movement'} aria-controls="panel-orders"
          className={`btn ${tab === 'movement' ? 'btn-primary' : ''}`} onClick={() => setTab('movement')}>
          Движение
        </button>
      </div>
      <div role="tabpanel" id="panel-orders" aria-labelledby={tab === 'book' ? 'tab-book' : 'tab-movement'}>
        {tab === 'book' ? <OrderBook /> : <MovementReport />}
      </div>
    </div>
  );
}

function OrderBook() {
  const api = useApi();
  // Until a year is chosen the book opens at the latest year that has orders.
  const [chosen, setChosen] = useState<string | null>(null);
  const list = useLoad(() => api.invoke('orders.list', chosen ? { yearLabel: chosen } : {}), chosen ?? '');
  const [openId, setOpenId] = useState<number | null>(null);
  const year = chosen ?? list.data?.years[0] ?? schoolYearLabel(todayIso());
  const setYear = (y: string) => setChosen(y);
  const years = Array.from(new Set([...(list.data?.years ?? []), year, schoolYearLabel(todayIso())])).sort().reverse();

  return (
    <div className="stack">
      <div className="filters">
        <SelectField label="Учебный год" value={year} onValue={setYear} options={years.map((y) => ({ value: y, label: y }))} first />
      </div>
      <ErrorNotice error={list.error} />
      {list.data ? (
        list.data.orders.length === 0 ? (
          <p className="muted">В {year} учебном году приказов по контингенту нет.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" aria-label="Книга приказов">
              <caption className="table-caption">{countOf(list.data.orders.length, ['приказ', 'приказа', 'приказов'])}</caption>
              <thead>
                <tr>
                  <th scope="col">№</th>
                  <th scope="col">Дата</th>
                  <th scope="col">Вид</th>
                  <th scope="col">Заголовок</th>
                  <th scope="col">Обучающихся</th>
                </tr>
              </thead>
              <tbody>
                {list.data.orders.map((o) => (
                  <tr key={o.id}>
                    <td className="nowrap">
                      <button type="button" className="link-button" onClick={() => setOpenId(o.id)} aria-label={`Приказ № ${o.number}`}>
                        {o.number}
                      </button>
                    </td>
                    <td className="nowrap">{formatIsoDate(o.date)}</td>
                    <td>{o.kindLabel}</td>
                    <td>{o.title}</td>
                    <td>{o.pupils}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : list.error ? null : (
        <Loading />
      )}
      {openId !== null ? <OrderDialog id={openId} onClose={() => setOpenId(null)} /> : null}
    </div>
  );
}

function OrderDialog({ id, onClose }: { id: number; onClose(): void }) {
  const api = useApi();
  const order = useLoad(() => api.invoke('orders.get', { id }), String(id));
  const o = order.data;
  return (
    <Dialog title={o ? `Приказ № ${o.number} от ${formatIsoDate(o.date)}` : 'Приказ'} onClose={onClose} className="dialog-wide">
      <ErrorNotice error={order.error} />
      {!o ? (
        order.error ? null : <Loading />
      ) : (
        <div className="stack">
          <p>
            <strong>{o.kindLabel}</strong>. {o.title}
          </p>
          {o.body ? <p className="dialog-text pre-wrap">{o.body}</p> : null}
          <table className="data-table" aria-label="Обучающиеся по приказу">
            <thead>
              <tr>
                <th scope="col">ФИО</th>
                <th scope="col">Дата рождения</th>
                <th scope="col">№ личного дела</th>
                <th scope="col">Событие</th>
                <th scope="col">Класс</th>
                <th scope="col">Причина, откуда / куда</th>
              </tr>
            </thead>
            <tbody>
              {o.events.map((e) => {
                const Text = e.cancelled ? 's' : 'span';
                return (
                  <tr key={e.id}>
                    <td>
                      <Text>{e.pupilName}</Text>
                      {e.cancelled ? <span className="tag">внесено ошибочно</span> : null}
                    </td>
                    <td className="nowrap">{formatIsoDate(e.birthDate)}</td>
                    <td className="mono">{e.fileNo ?? ''}</td>
                    <td>
                      <Text>{e.kindLabel}</Text>
                    </td>
                    <td>
                      <Text>{[e.fromClass, e.toClass].filter(Boolean).join(' → ')}</Text>
                    </td>
                    <td>
                      <Text>{[e.reason, e.place].filter(Boolean).join('; ')}</Text>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <DialogActions hint={false}>
        {o ? <PrintButton label="приказ" document={{ kind: 'order', orderId: o.id }} /> : null}
        <button type="button" className="btn" onClick={onClose}>
          Закрыть
        </button>
      </DialogActions>
    </Dialog>
  );
}

function MovementReport() {
  const api = useApi();
  const today = todayIso();
  const [from, setFrom] = useState(schoolYearStart(today));
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const report = useLoad(() => (valid ? api.invoke('movement.report', { from, to }) : Promise.resolve(null)), `${from}:${to}`);
  const r = report.data;
  return (
    <div className="stack">
      <div className="filters">
        <TextField label="С" type="date" value={from} onValue={setFrom} first />
        <TextField label="По" type="date" value={to} onValue={setTo} error={valid ? undefined : 'конец периода раньше начала или дата не указана'} />
      </div>
      <ErrorNotice error={report.error} />
      {r ? (
        <>
          <div className="table-wrap">
            <table className="data-table" aria-label="Сводная ведомость движения">
              <caption className="table-caption">
                Сводная ведомость учёта движения обучающихся с {formatIsoDate(r.from)} по {formatIsoDate(r.to)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Класс</th>
                  <th scope="col">На начало периода</th>
                  <th scope="col">Прибыло</th>
                  <th scope="col">Выбыло</th>
                  <th scope="col">На конец периода</th>
                </tr>
              </thead>
              <tbody>
                {r.classes.map((c) => (
                  <tr key={c.classId}>
                    <td>{c.class}</td>
                    <td>{c.start}</td>
                    <td>{c.arrived}</td>
                    <td>{c.left}</td>
                    <td>{c.end}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Итого</th>
                  <td>{r.totals.start}</td>
                  <td>{r.totals.arrived}</td>
                  <td>{r.totals.left}</td>
                  <td>{r.totals.end}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <h2 className="panel-title">Прибывшие и выбывшие</h2>
          {r.events.length === 0 ? (
            <p className="muted">За период никто не прибыл и не выбыл.</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" aria-label="Прибывшие и выбывшие">
                <thead>
                  <tr>
                    <th scope="col">ФИО</th>
                    <th scope="col">Дата рождения</th>
                    <th scope="col">Класс</th>
                    <th scope="col">Прибыл / выбыл</th>
                    <th scope="col">Дата и № приказа</th>
                    <th scope="col">Откуда / куда</th>
                  </tr>
                </thead>
                <tbody>
                  {r.events.map((e) => (
                    <tr key={e.id}>
                      <td>{e.pupilName}</td>
                      <td className="nowrap">{formatIsoDate(e.birthDate)}</td>
                      <td>{e.toClass ?? e.fromClass ?? ''}</td>
                      <td>
                        {e.kindLabel} {formatIsoDate(e.date)}
                      </td>
                      <td className="nowrap">{e.order ? `${formatIsoDate(e.orderDate)} № ${e.order}` : ''}</td>
                      <td>{[e.place, e.reason].filter(Boolean).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : report.error || !valid ? null : (
        <Loading />
      )}
    </div>
  );
}
