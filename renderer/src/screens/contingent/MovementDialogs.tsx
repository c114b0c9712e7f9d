import { useState } from 'react';
import { LEAVE_REASONS, type EventRow, type LeaveReason, type PupilCard } from '../../../../common/api/contingent';
import { useApi, useLoad } from '../../api/context';
import { clientErrors, Dialog, ErrorNotice, Form, SelectField, SubmitActions, TextField, useSubmit } from '../../components/ui';
import { formatIsoDate } from '../../format';
import { enterSubmits, fieldsUnder, fullName, newOrderChoice, OrderPicker, orderRefOf, type OrderChoice } from './common';

/** «Перевести в другой класс…»: one dated change of membership by an order. */
export function TransferDialog({ pupil, onClose, onDone }: { pupil: PupilCard; onClose(): void; onDone(message: string): void }) {
  const api = useApi();
  const [order, setOrder] = useState<OrderChoice>(newOrderChoice());
  const [date, setDate] = useState('');
  const [classId, setClassId] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const day = date || order.date;
  const classes = useLoad(() => api.invoke('classes.list', { date: day || undefined }), day);
  const options = (classes.data?.classes ?? []).filter((c) => !c.yearClosed && c.id !== pupil.classId);

  const submit = () => {
    const ref = orderRefOf(order);
    const local = clientErrors({ ...('problems' in ref ? ref.problems : {}), toClassId: !classId && 'выберите класс' });
    if (local || 'problems' in ref) return setErrors(local ?? { message: null, fields: {} });
    void run(async () => {
      const result = await api.invoke('movement.transfer', { pupilId: pupil.id, toClassId: Number(classId), order: ref.ref, ...(date ? { date } : {}) });
      const target = options.find((c) => String(c.id) === classId)?.label ?? '';
      onDone(`${fullName(pupil)} переведён(а) в ${target} по приказу № ${result.order}.`);
    });
  };

  return (
    <Dialog title="Перевод в другой класс" onClose={onClose} closable={!busy} className="dialog-wide">
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        <p className="dialog-text">
          {fullName(pupil)}, сейчас {pupil.class ?? 'без класса'}.
        </p>
        <OrderPicker kind="class_transfer" value={order} onValue={setOrder} errors={fieldsUnder(errors, 'order')} first />
        <div className="form-grid">
          <SelectField
            label="В класс"
            value={classId}
            onValue={setClassId}
            options={[{ value: '', label: classes.loading ? 'Загрузка…' : '— выберите класс —' }, ...options.map((c) => ({ value: String(c.id), label: c.label }))]}
            error={errors.fields.toClassId}
          />
          <TextField label="Дата перевода" type="date" value={date} onValue={setDate} error={errors.fields.date} hint="пусто — дата приказа" />
        </div>
        <ErrorNotice error={classes.error} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Перевести" />
      </Form>
    </Dialog>
  );
}

const REASON_OPTIONS: { value: '' | LeaveReason; label: string }[] = [{ value: '' as const, label: '— выберите причину —' }, ...LEAVE_REASONS.map((r) => ({ value: r, label: r }))];

/** «Выбытие…»: the pupil leaves by an order; their access codes are revoked. */
export function LeaveDialog({ pupil, onClose, onDone }: { pupil: PupilCard; onClose(): void; onDone(message: string): void }) {
  const api = useApi();
  const [order, setOrder] = useState<OrderChoice>(newOrderChoice());
  const [date, setDate] = useState('');
  const [reason, setReason] = useState<'' | LeaveReason>('');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const ref = orderRefOf(order);
    const local = clientErrors({ ...('problems' in ref ? ref.problems : {}), reason: !reason && 'выберите причину выбытия из списка' });
    if (local || 'problems' in ref || !reason) return setErrors(local ?? { message: null, fields: {} });
    void run(async () => {
      const result = await api.invoke('movement.leave', {
        pupilId: pupil.id,
        order: ref.ref,
        ...(date ? { date } : {}),
        reason,
        place: place.trim() || null,
        note: note.trim() || null,
      });
      onDone(
        `${fullName(pupil)} выбыл(а) по приказу № ${result.order}. ${
          result.revokedCodes > 0 ? `Отозвано кодов доступа: ${result.revokedCodes}.` : 'Действующих кодов доступа не было.'
        }`,
      );
    });
  };

  return (
    <Dialog title="Выбытие" onClose={onClose} closable={!busy} className="dialog-wide">
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        <p className="dialog-text">
          {fullName(pupil)}, {pupil.class ?? 'без класса'}. Запись об обучающемся остаётся в реестре навсегда, заканчивается только членство в классе;
          коды доступа ученика отзываются.
        </p>
        <OrderPicker kind="expulsion" value={order} onValue={setOrder} errors={fieldsUnder(errors, 'order')} first />
        <div className="form-grid">
          <TextField label="Дата выбытия" type="date" value={date} onValue={setDate} error={errors.fields.date} hint="первый день вне школы; пусто — дата приказа" />
          <SelectField label="Причина выбытия" value={reason} onValue={(v: '' | LeaveReason) => setReason(v)} options={REASON_OPTIONS} error={errors.fields.reason} />
          <TextField label="Куда выбыл" value={place} onValue={setPlace} error={errors.fields.place} autoComplete="off" fieldClassName="span-2"
            hint="принимающая школа или населённый пункт" />
          <TextField label="Примечание" value={note} onValue={setNote} error={errors.fields.note} autoComplete="off" fieldClassName="span-2" />
        </div>
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Оформить выбытие" />
      </Form>
    </Dialog>
  );
}

/** «Отменить ошибочную запись…»: a counter-event, never an erasure. */
export function CancelEventDialog({ event, onClose, onDone }: { event: EventRow; onClose(): void; onDone(message: string): void }) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = () => {
    const local = clientErrors({ reason: reason.trim().length < 3 && 'укажите причину отмены' });
    if (local) return setErrors(local);
    void run(async () => {
      await api.invoke('movement.cancel', { eventId: event.id, reason: reason.trim() });
      onDone(`Запись «${event.kindLabel}» от ${formatIsoDate(event.date)} отменена как ошибочная.`);
    });
  };
  return (
    <Dialog title="Отмена ошибочной записи" onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        <p className="dialog-text">
          {event.kindLabel} от {formatIsoDate(event.date)}
          {event.order ? `, приказ № ${event.order}` : ''}. Запись не удаляется: она остаётся в истории зачёркнутой, с отметкой «внесено
          ошибочно».
        </p>
        <TextField label="Причина отмены" value={reason} onValue={(v: '' | LeaveReason) => setReason(v)} error={errors.fields.reason} first autoComplete="off" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Отменить запись" />
      </Form>
    </Dialog>
  );
}
