import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Params } from '../../../../common/api/contract';
import { ORDER_KIND_LABELS, type OrderKind, type OrderRef, type OrderRow } from '../../../../common/api/contingent';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, SelectField, TextField, type FormErrors } from '../../components/ui';
import { countOf, formatIsoDate } from '../../format';
import { useObjectUrl } from '../../files';

/** Today as an ISO date in local time (the school's calendar day). */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** 1 September of the school year a day belongs to. */
export function schoolYearStart(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return `${month >= 9 ? year : year - 1}-09-01`;
}

/** «2025/2026» for a day. */
export function schoolYearLabel(day: string): string {
  const start = Number(schoolYearStart(day).slice(0, 4));
  return `${start}/${start + 1}`;
}

export function fullName(p: { lastName: string; firstName: string; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** A value that settles `delay` ms after the last change (search as you type). */
export function useDebounced<T>(value: T, delay = 150): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * Enter in a drop-down list submits the form, as in a text field (the browser would open the
 * list instead): the secretary goes through a form with Enter alone.
 */
export function enterSubmits(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key === 'Enter' && !event.altKey && event.target instanceof HTMLSelectElement) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
}

/** Errors of one nested object: `order.date` → `date`. */
export function fieldsUnder(errors: FormErrors, prefix: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors.fields)) {
    if (key.startsWith(`${prefix}.`)) found[key.slice(prefix.length + 1)] = message;
    else if (key === prefix) found[''] = message;
  }
  return found;
}

/* ------------------------------------------------------------------ orders */

export interface OrderChoice {
  /** '' = a new order; otherwise the id of an existing one. */
  existingId: string;
  date: string;
  number: string;
}

export function newOrderChoice(date = todayIso()): OrderChoice {
  return { existingId: '', date, number: '' };
}

export function orderLabel(order: Pick<OrderRow, 'number' | 'date'>): string {
  return `№ ${order.number} от ${formatIsoDate(order.date)}`;
}

/** The order reference for the API, or local problems by field. */
export function orderRefOf(choice: OrderChoice): { ref: OrderRef; date: string } | { problems: Record<string, string> } {
  if (choice.existingId) return { ref: { id: Number(choice.existingId) }, date: choice.date };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.date)) return { problems: { 'order.date': 'укажите дату приказа' } };
  const number = choice.number.trim();
  return { ref: number ? { date: choice.date, number } : { date: choice.date }, date: choice.date };
}

/**
 * The order a movement is made by: an existing order of this kind (of the school year) or a
 * new one: date and an optional number (empty: the next number of the year).
 */
export function OrderPicker({
  kind,
  value,
  onValue,
  errors,
  first,
}: {
  kind: OrderKind;
  value: OrderChoice;
  onValue(value: OrderChoice): void;
  errors: Record<string, string>;
  first?: boolean;
}) {
  const api = useApi();
  // Orders of the school year of the chosen date.
  const year = /^\d{4}-\d{2}-\d{2}$/.test(value.date) ? schoolYearLabel(value.date) : schoolYearLabel(todayIso());
  const orders = useLoad(() => api.invoke('orders.list', { yearLabel: year }), year);
  const ofKind = (orders.data?.orders ?? []).filter((o) => o.kind === kind);
  const options = [
    { value: '', label: 'Новый приказ' },
    ...ofKind.map((o) => ({ value: String(o.id), label: `${orderLabel(o)} — ${countOf(o.pupils, ['обучающийся', 'обучающихся', 'обучающихся'])}` })),
  ];
  return (
    <fieldset className="form-grid order-picker">
      <legend>Приказ {ORDER_KIND_LABELS[kind]}</legend>
      <SelectField
        label="Приказ"
        value={value.existingId}
        first={first}
        onValue={(id) => {
          const found = ofKind.find((o) => String(o.id) === id);
          onValue(found ? { existingId: id, date: found.date, number: found.number } : { ...value, existingId: '', number: '' });
        }}
        options={options}
        error={errors.id ?? (value.existingId ? errors[''] : undefined)}
        hint={orders.loading ? 'Загрузка приказов…' : ofKind.length ? `Приказы за ${year} учебный год; можно выбрать или создать новый.` : `Приказов этого вида за ${year} учебный год нет: будет создан новый.`}
      />
      {value.existingId ? null : (
        <>
          <TextField label="Дата приказа" type="date" value={value.date} onValue={(date) => onValue({ ...value, date })} error={errors.date} />
          <TextField label="Номер приказа" value={value.number} onValue={(number) => onValue({ ...value, number })} error={errors.number ?? errors['']}
            hint="Пусто — следующий номер по книге приказов." autoComplete="off" />
        </>
      )}
      <ErrorNotice error={orders.error} />
    </fieldset>
  );
}

/* ---------------------------------------------------------------- printing */

type PrintDocument = Params<'print.document'>['document'];

/** What every print method returns; `slips` only for the access-code slips. */
export interface PrintedPdf {
  pdfBase64: string;
  fileName: string;
  title: string;
  pages: number;
  slips?: number;
  /** A printout of many (consent forms, extracts): how many documents it holds. */
  documents?: number;
}

interface Printed {
  printKey: string;
  url: string;
  fileName: string;
  title: string;
  pages: number;
  slips: number | undefined;
  documents: number | undefined;
}

/** A print button for a document of the register (`print.document`). */
export function PrintButton({ label, document: doc, disabled }: { label: string; document: PrintDocument; disabled?: boolean }) {
  const api = useApi();
  return (
    <PdfButton
      label={`Печать: ${label}`}
      printKey={JSON.stringify(doc)}
      disabled={disabled}
      print={() => api.invoke('print.document', { document: doc })}
    />
  );
}

/**
 * Makes a PDF (can take seconds) with the given call, then offers it to save or open. The
 * result belongs to `printKey`: when the document asked for changes, the old offer disappears.
 */
export function PdfButton({ label, printKey, disabled, print }: { label: string; printKey: string; disabled?: boolean; print: () => Promise<PrintedPdf> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [printed, setPrinted] = useState<Printed | null>(null);
  const objectUrl = useObjectUrl();
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await print();
      const url = objectUrl(result.pdfBase64, 'application/pdf');
      setPrinted({ printKey, url, fileName: result.fileName, title: result.title, pages: result.pages, slips: result.slips, documents: result.documents });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="print-control">
      <button type="button" className="btn" onClick={() => void run()} disabled={busy || disabled} aria-busy={busy || undefined}>
        {busy ? (
          <>
            <span className="spinner" aria-hidden="true" /> Готовлю PDF…
          </>
        ) : (
          label
        )}
      </button>
      {printed && printed.printKey === printKey ? (
        <span className="print-result" role="status">
          <a className="btn btn-small" href={printed.url} download={printed.fileName}>
            Сохранить «{printed.title}»
          </a>
          <a className="btn btn-small btn-quiet" href={printed.url} target="_blank" rel="noreferrer">
            Открыть
          </a>
          <span className="muted small">
            {countOf(printed.pages, ['страница', 'страницы', 'страниц'])}
            {printed.slips !== undefined ? `, ${countOf(printed.slips, ['листок', 'листка', 'листков'])}` : ''}
            {printed.documents !== undefined ? `, ${countOf(printed.documents, ['документ', 'документа', 'документов'])}` : ''}
          </span>
        </span>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </span>
  );
}
