import { useId, useState } from 'react';
import type { ClosePreview } from '../../../../../common/api/year-contract';
import { useApi } from '../../../api/context';
import { Dialog, DialogActions, ErrorNotice, Form, Notice, useSubmit } from '../../../components/ui';
import { countOf, formatIsoDate } from '../../../format';
import type { CloseResult } from './model';
import { OrdersTable, TotalsCards } from './ResultPreview';

/**
 * «Закрыть учебный год»: off while blockers remain (and says why); a confirmation that states
 * what will happen; progress while the close runs (it can take seconds: a snapshot copy of the
 * database first, then one transaction).
 */
export function CloseAction({
  preview,
  orderDate,
  stale,
  onClosed,
}: {
  preview: ClosePreview;
  /** '' = the default date of the preview. */
  orderDate: string;
  /** The preview is being re-read: the button waits for the fresh one. */
  stale: boolean;
  onClosed(result: CloseResult): void;
}) {
  const [confirming, setConfirming] = useState(false);
  const blockers = preview.blockers.length;
  const pupils = preview.decisions.length;
  const reason =
    blockers > 0
      ? `Нельзя закрыть: ${countOf(blockers, ['препятствие', 'препятствия', 'препятствий'])} — поставьте годовые отметки или примите решения вручную (список выше).`
      : pupils === 0
        ? 'В году нет обучающихся: закрывать нечего.'
        : null;
  const reasonId = useId();
  return (
    <section className="panel panel-accent yc-close" aria-labelledby="yc-close-title">
      <h2 className="panel-title" id="yc-close-title">
        Закрытие года
      </h2>
      <div className="yc-close-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={reason !== null || stale}
          aria-describedby={reason ? reasonId : undefined}
          onClick={() => setConfirming(true)}
        >
          Закрыть учебный год
        </button>
        {reason ? (
          <span id={reasonId} className="yc-close-reason" role="status">
            {reason}
          </span>
        ) : (
          <span className="muted">
            {countOf(pupils, ['обучающийся', 'обучающихся', 'обучающихся'])}, {countOf(preview.orders.length, ['приказ', 'приказа', 'приказов'])} от{' '}
            {formatIsoDate(preview.orderDate)}.
          </span>
        )}
      </div>
      {confirming ? (
        <CloseDialog
          preview={preview}
          orderDate={orderDate}
          onClose={() => setConfirming(false)}
          onClosed={(result) => {
            setConfirming(false);
            onClosed(result);
          }}
        />
      ) : null}
    </section>
  );
}

function CloseDialog({
  preview,
  orderDate,
  onClose,
  onClosed,
}: {
  preview: ClosePreview;
  orderDate: string;
  onClose(): void;
  onClosed(result: CloseResult): void;
}) {
  const api = useApi();
  const { busy, errors, run } = useSubmit();
  const textId = useId();
  const t = preview.totals;
  const submit = () =>
    void run(async () => {
      const result = await api.invoke('year.close', orderDate ? { yearId: preview.yearId, orderDate } : { yearId: preview.yearId });
      onClosed(result);
    });
  return (
    <Dialog title={`Закрыть учебный год ${preview.year}?`} onClose={onClose} closable={!busy} describedBy={textId} className="dialog-wide">
      <Form onSubmit={submit}>
        <div id={textId} className="dialog-text">
          <p>Что будет сделано:</p>
          <ol className="steps">
            <li>Сначала — снимок базы данных (копия в папке snapshots), чтобы прежнее состояние можно было восстановить.</li>
            <li>
              Приказы от {formatIsoDate(preview.orderDate)}:{' '}
              {preview.orders.length ? preview.orders.map((o) => `№ ${o.number} «${o.title}» (${o.pupils})`).join('; ') : 'нет'}.
            </li>
            <li>
              Перевод: переведено {t.promoted}, условно переведено {t.conditional}, оставлено на повторное обучение {t.repeat}, выпущено {t.graduated}; классы{' '}
              {preview.nextYear.name}
              {preview.nextYear.exists ? '' : ' (год будет открыт со структурой этого года)'}.
            </li>
            <li>Учебный год {preview.year} станет только для чтения: изменить его отметки, классы и движение будет нельзя.</li>
          </ol>
          <p>
            Закрытие можно отменить кнопкой «Отменить закрытие», пока в {preview.nextYear.name} нет изменений, которые от него зависят (новые приказы,
            движение, отметки).
          </p>
        </div>
        {busy ? (
          <div className="progress-block" role="status" aria-live="polite">
            <span className="progress-label">Закрываю учебный год…</span>
            <progress className="progress" aria-label="Закрытие учебного года" />
            <span className="muted small">Снимок базы, приказы, движение обучающихся, классы нового года. Не закрывайте программу.</span>
          </div>
        ) : null}
        <ErrorNotice>{errors.message}</ErrorNotice>
        <DialogActions>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-autofocus="">
            Закрыть год
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}

/** What the close just did: orders with their numbers, the snapshot, the next year. */
export function CloseResultView({ result }: { result: CloseResult }) {
  return (
    <section className="panel yc-done" aria-labelledby="yc-done-title">
      <h2 className="panel-title" id="yc-done-title">
        {result.changed ? `Учебный год ${result.year} закрыт` : `Учебный год ${result.year} уже был закрыт`}
      </h2>
      {result.changed ? (
        <Notice kind="success">
          Приказы изданы, обучающиеся переведены в классы {result.nextYear.name}
          {result.nextYear.created ? ' (год открыт закрытием)' : ''}.
        </Notice>
      ) : (
        <Notice>Повторное закрытие ничего не изменило.</Notice>
      )}
      <TotalsCards totals={result.totals} label="Итоги закрытия" />
      <OrdersTable orders={result.orders} caption="Изданные приказы" />
      <p className="small">
        Снимок базы до закрытия:{' '}
        {result.snapshot ? <span className="mono yc-path">{result.snapshot}</span> : <span className="muted">не создавался</span>}
      </p>
    </section>
  );
}
