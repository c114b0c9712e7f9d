import { useState } from 'react';
import { roleMayCall, type Result } from '../../../../common/api/contract';
import { CONSENT_PURPOSE_LABELS, DESTRUCTION_ACT_KEEP_YEARS, DESTRUCTION_DAYS } from '../../../../common/api/consents';
import { DEFAULT_DESTRUCTION_METHOD, type ActRow, type DueRow } from '../../../../common/api/destruction-contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { clientErrors, Dialog, DialogActions, ErrorNotice, Form, Loading, Notice, TextField, useSubmit, useToast } from '../../components/ui';
import { countOf, formatIsoDate, plural } from '../../format';
import { PrintButton, todayIso } from '../contingent/common';
import { FileButton, linesOf, TextAreaField } from './shared';

/** «2026-3» as stored → «№ 3 от 05.03.2026» as people say it. */
export function actLabel(act: { number: string; actDate: string }): string {
  return `№ ${act.number.split('-').pop() ?? act.number} от ${formatIsoDate(act.actDate)}`;
}

function daysLeftText(row: DueRow): string {
  if (row.daysLeft < 0) return `просрочено на ${countOf(-row.daysLeft, ['день', 'дня', 'дней'])}`;
  if (row.daysLeft === 0) return 'сегодня последний день';
  return `${plural(row.daysLeft, ['остался', 'осталось', 'осталось'])} ${countOf(row.daysLeft, ['день', 'дня', 'дней'])}`;
}

/** «Срок уничтожения»: withdrawn consents whose data must be destroyed, and the acts already made. */
export function DestructionTab() {
  const api = useApi();
  const { user } = useSession();
  const mayDestroy = roleMayCall('consents.destroy', user.role);
  const due = useLoad(() => api.invoke('consents.due', {}));
  const acts = useLoad(() => api.invoke('consents.acts', {}));
  const [destroying, setDestroying] = useState<DueRow | null>(null);
  const rows = due.data?.rows ?? [];
  const overdue = rows.filter((r) => r.overdue).length;

  return (
    <div className="stack">
      <p className="toolbar-text muted">
        После отзыва согласия данные, которые больше не нужны, уничтожаются не позднее {DESTRUCTION_DAYS} дней (ст. 21 ч. 5 152-ФЗ). Уничтожение
        оформляется актом с выгрузкой журнала действий (приказ Роскомнадзора № 179); акт хранится {DESTRUCTION_ACT_KEEP_YEARS} года.
      </p>
      <ErrorNotice error={due.error} />
      {due.data ? (
        <div className="table-wrap">
          <table className="data-table consents-due" id="due-table" aria-busy={due.loading || undefined}>
            <caption className="table-caption">
              К уничтожению на {formatIsoDate(due.data.today)}: {countOf(rows.length, ['запись', 'записи', 'записей'])}
              {overdue ? `, из них просрочено — ${overdue}` : ''}.
            </caption>
            <thead>
              <tr>
                <th scope="col">Чьи данные</th>
                <th scope="col">Отозвано согласие</th>
                <th scope="col">Дата отзыва</th>
                <th scope="col">Уничтожить до</th>
                <th scope="col">Срок</th>
                {mayDestroy ? <th scope="col">Действия</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.consentId} className={row.overdue ? 'row-overdue' : ''} data-subject={row.subject}>
                  <td>
                    {row.subject}
                    <span className="muted small"> — {row.subjectKind === 'pupil' ? 'обучающийся' : 'представитель'}</span>
                  </td>
                  <td>{CONSENT_PURPOSE_LABELS[row.purpose]}</td>
                  <td className="nowrap">{formatIsoDate(row.withdrawnOn)}</td>
                  <td className="nowrap" data-testid="destroy-due">
                    {formatIsoDate(row.destroyDue)}
                  </td>
                  <td className="nowrap">{row.overdue ? <strong className="consent-overdue">{daysLeftText(row)}</strong> : daysLeftText(row)}</td>
                  {mayDestroy ? (
                    <td>
                      <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => setDestroying(row)}>
                        Уничтожить данные и составить акт…
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted table-summary consents-empty">Отозванных согласий, ждущих уничтожения данных, нет.</p> : null}
        </div>
      ) : due.error ? null : (
        <Loading />
      )}
      <ActsTable acts={acts} />
      {destroying ? (
        <DestroyDialog
          row={destroying}
          onClose={() => setDestroying(null)}
          onDone={() => {
            due.reload();
            acts.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function ActsTable({ acts }: { acts: { data: Result<'consents.acts'> | null; error: unknown; loading: boolean } }) {
  const list = acts.data?.acts ?? [];
  return (
    <>
      <ErrorNotice error={acts.error} />
      {acts.data ? (
        <div className="table-wrap">
          <table className="data-table" id="acts-table" aria-label="Акты об уничтожении" aria-busy={acts.loading || undefined}>
            <caption className="table-caption">Акты об уничтожении персональных данных: {countOf(list.length, ['акт', 'акта', 'актов'])}.</caption>
            <thead>
              <tr>
                <th scope="col">Акт</th>
                <th scope="col">Чьи данные</th>
                <th scope="col">Что уничтожено</th>
                <th scope="col">Причина и способ</th>
                <th scope="col">Хранить до</th>
                <th scope="col">Документы</th>
              </tr>
            </thead>
            <tbody>
              {list.map((act) => (
                <ActLine key={act.id} act={act} />
              ))}
            </tbody>
          </table>
          {list.length === 0 ? <p className="muted table-summary consents-empty">Актов пока нет.</p> : null}
        </div>
      ) : acts.error ? null : (
        <Loading />
      )}
    </>
  );
}

function ActLine({ act }: { act: ActRow }) {
  return (
    <tr>
      <td className="nowrap">{actLabel(act)}</td>
      <td>
        {act.subject}
        <span className="muted small"> — {act.subjectKind === 'pupil' ? 'обучающийся' : 'представитель'}</span>
      </td>
      <td>{act.categories}</td>
      <td>
        {act.reason}
        <div className="muted small">{act.method}</div>
      </td>
      <td className="nowrap">{formatIsoDate(act.keepUntil)}</td>
      <td>
        <ActDocuments actId={act.id} logEntries={act.logEntries} />
      </td>
    </tr>
  );
}

/** The act to print and the event-log export (a JSON file) that goes with it. */
function ActDocuments({ actId, logEntries }: { actId: number; logEntries?: number }) {
  const api = useApi();
  return (
    <div className="button-row">
      <PrintButton label="акт" document={{ kind: 'destructionAct', actId }} />
      <FileButton
        label={logEntries === undefined ? 'Выгрузка журнала' : `Выгрузка журнала (${countOf(logEntries, ['запись', 'записи', 'записей'])})`}
        fileKey={String(actId)}
        small={false}
        fetch={async () => ({ ...(await api.invoke('consents.actLog', { actId })), mime: 'application/json' })}
      />
    </div>
  );
}

/* ------------------------------------------------------------------ destroy */

/** What the destruction erases and what stays, by whose data it is (the register keeps the history). */
function WhatHappens({ row }: { row: DueRow }) {
  if (row.purpose === 'distribution') {
    return (
      <Notice kind="warning">
        Отозвано согласие на распространение: поля в реестре не меняются. В акте фиксируется, что опубликованные материалы (фотографии, сведения на сайте и
        стендах) удалены — <strong>удалите их до составления акта</strong>.
      </Notice>
    );
  }
  return (
    <div className="notice notice-error consents-warning" role="note">
      <p>
        <strong>Это действие необратимо.</strong> Будут стёрты персональные данные ({row.subject}):{' '}
        {row.subjectKind === 'pupil'
          ? 'СНИЛС, документ, удостоверяющий личность, адреса регистрации и проживания, телефон, электронная почта'
          : 'СНИЛС, документ, удостоверяющий личность, дата рождения, адреса регистрации и проживания, телефон, электронная почта, документ о полномочиях представителя'}
        ; сканы согласий этого человека удаляются, его коды доступа отзываются, а стёртые значения вычищаются и из журнала действий.
      </p>
      <p>
        Для архива остаются:{' '}
        {row.subjectKind === 'pupil'
          ? 'фамилия, имя, отчество, дата рождения, пол, номер в алфавитной книге, история движения и классов'
          : 'фамилия, имя, отчество и степень родства'}
        , а также сам акт с выгрузкой журнала действий.
      </p>
    </div>
  );
}

function DestroyDialog({ row, onClose, onDone }: { row: DueRow; onClose(): void; onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [actDate, setActDate] = useState(todayIso());
  const [method, setMethod] = useState(DEFAULT_DESTRUCTION_METHOD);
  const [commission, setCommission] = useState('');
  const [done, setDone] = useState<Result<'consents.destroy'> | null>(null);
  const { busy, errors, setErrors, run } = useSubmit();
  const distribution = row.purpose === 'distribution';
  // Erasing a person's fields cannot be undone: one more deliberate step than Enter.
  const [understood, setUnderstood] = useState(false);

  const submit = () => {
    const members = linesOf(commission);
    const local = clientErrors({
      actDate: /^\d{4}-\d{2}-\d{2}$/.test(actDate) ? null : 'укажите дату акта',
      method: distribution || method.trim() ? null : 'укажите способ уничтожения',
      commission: members.length > 10 ? 'не больше 10 человек' : null,
      understood: distribution || understood ? null : 'подтвердите, что данные будут стёрты безвозвратно',
    });
    if (local) {
      setErrors(local);
      return;
    }
    void run(async () => {
      const result = await api.invoke('consents.destroy', {
        consentId: row.consentId,
        actDate,
        ...(distribution ? {} : { method: method.trim() }),
        ...(members.length ? { commission: members } : {}),
      });
      setDone(result);
      toast(`Составлен акт об уничтожении № ${result.number.split('-').pop() ?? result.number}`);
      onDone();
    });
  };

  if (done) {
    return (
      <Dialog title="Данные уничтожены" onClose={onClose}>
        <div className="dialog-text stack" data-testid="destroy-result">
          <p>
            Составлен акт {actLabel({ number: done.number, actDate })} — {row.subject}.
          </p>
          <p>{done.destroyed.length ? `Уничтожено: ${done.destroyed.join(', ')}.` : 'Полей в реестре не изменено.'}</p>
          {done.auditEntriesErased > 0 ? <p className="muted">Значения вычищены из записей журнала действий: {done.auditEntriesErased}.</p> : null}
          <p>Распечатайте акт для подписей комиссии и сохраните выгрузку журнала действий вместе с ним.</p>
          <ActDocuments actId={done.actId} />
        </div>
        <DialogActions hint={false}>
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Готово
          </button>
        </DialogActions>
      </Dialog>
    );
  }

  const commissionError = errors.fields.commission ?? Object.entries(errors.fields).find(([key]) => key.startsWith('commission.'))?.[1];
  return (
    <Dialog title="Уничтожение данных и акт" onClose={onClose} closable={!busy} className="dialog-wide">
      <Form onSubmit={submit} className="form">
        <p className="dialog-text">
          Отзыв согласия «{CONSENT_PURPOSE_LABELS[row.purpose]}» от {formatIsoDate(row.withdrawnOn)}; уничтожить до {formatIsoDate(row.destroyDue)}.
        </p>
        <WhatHappens row={row} />
        <div className="form-two-columns">
          <TextField label="Дата акта" type="date" value={actDate} onValue={setActDate} first error={errors.fields.actDate} />
          {/* For published materials the act names their removal itself; no database method applies. */}
          {distribution ? null : (
            <TextField label="Способ уничтожения" value={method} onValue={setMethod} maxLength={500} autoComplete="off" error={errors.fields.method} />
          )}
        </div>
        <TextAreaField
          label="Члены комиссии"
          value={commission}
          onValue={setCommission}
          rows={3}
          error={commissionError}
          hint="Должность и ФИО, по одному на строку (не больше 10); в акте будут строки для их подписей."
        />
        {distribution ? null : (
          <div className={`field${errors.fields.understood ? ' field-invalid' : ''}`}>
            <label className="checkbox-line">
              <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> понимаю, что персональные данные будут стёрты
              безвозвратно
            </label>
            {errors.fields.understood ? <div className="field-error">{errors.fields.understood}</div> : null}
          </div>
        )}
        <ErrorNotice>{errors.message}</ErrorNotice>
        <DialogActions>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            Уничтожить данные и составить акт
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}
