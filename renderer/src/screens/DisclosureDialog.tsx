import { useState } from 'react';
import type { DisclosedChange } from '../../../common/api/disclosure-contract';
import type { User } from '../../../common/api/schemas';
import { useApi, useLoad } from '../api/context';
import { clientErrors, Dialog, DialogActions, ErrorNotice, Form, Loading, Notice, SubmitActions, TextField, useSubmit, useToast } from '../components/ui';
import { countOf, formatDateTime } from '../format';

/**
 * «Учётные данные раскрыты…»: the administrator records since when someone else knew the
 * account's password (the account is locked at once), reviews what it changed since then and
 * reverts those changes as one batch. Changes that later work of others depends on stay, with why.
 */
export function DisclosureDialog({ user, onClose, onChanged }: { user: User; onClose(): void; onChanged(): void }) {
  const api = useApi();
  const loaded = useLoad(() => api.invoke('users.disclosedChanges', { id: user.id }));
  const data = loaded.data;
  return (
    <Dialog title={`Учётные данные раскрыты: ${user.login}`} onClose={onClose} className="dialog-wide">
      <ErrorNotice error={loaded.error} />
      {!data ? (
        loaded.error ? null : <Loading />
      ) : data.since === null ? (
        <MarkForm
          user={user}
          onClose={onClose}
          onDone={() => {
            onChanged();
            loaded.reload();
          }}
        />
      ) : (
        <ChangesReview userId={user.id} since={data.since} changes={data.changes} onClose={onClose} onReverted={loaded.reload} />
      )}
    </Dialog>
  );
}

/** «2026-03-12T14:05» from the date-time field, read as the computer's local time. */
function localToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const moment = new Date(value);
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString();
}

function MarkForm({ user, onClose, onDone }: { user: User; onClose(): void; onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [since, setSince] = useState('');
  const [note, setNote] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const iso = localToIso(since);
    const local = clientErrors({
      since: !iso ? 'укажите дату и время' : new Date(iso).getTime() > Date.now() ? 'момент в будущем' : null,
    });
    if (local || !iso) return setErrors(local ?? { message: null, fields: { since: 'укажите дату и время' } });
    void run(async () => {
      const result = await api.invoke('users.disclose', { id: user.id, since: iso, ...(note.trim() ? { note: note.trim() } : {}) });
      toast(`Учётная запись ${user.login} заблокирована. Изменений с указанного момента: ${result.changes}.`);
      onDone();
    });
  };

  return (
    <Form className="form" onSubmit={submit}>
      <p className="dialog-text">
        Укажите, с какого момента пароль пользователя <strong>{user.login}</strong> ({user.fullName}) мог быть известен посторонним. Учётная запись
        будет заблокирована, её открытые сеансы завершатся. Затем вы увидите все изменения, сделанные от её имени с этого момента, и сможете
        отменить их.
      </p>
      <TextField label="Раскрыты с (дата и время)" type="datetime-local" value={since} onValue={setSince} error={errors.fields.since} first
        hint="по часам этого компьютера; если точно неизвестно — возьмите момент пораньше" />
      <TextField label="Что случилось (необязательно)" value={note} onValue={setNote} error={errors.fields.note} autoComplete="off" />
      <ErrorNotice>{errors.message}</ErrorNotice>
      <SubmitActions busy={busy} onCancel={onClose} submitLabel="Заблокировать и показать изменения" />
    </Form>
  );
}

function ChangeState({ change }: { change: DisclosedChange }) {
  if (change.reverted) return <span className="state state-active">отменено</span>;
  if (change.revertible) return <span className="state">будет отменено</span>;
  return (
    <span className="state state-locked">
      не отменяется
      <span className="state-note">{change.conflict}</span>
    </span>
  );
}

function ChangesReview({ userId, since, changes, onClose, onReverted }: { userId: number; since: string; changes: DisclosedChange[]; onClose(): void; onReverted(): void }) {
  const api = useApi();
  const toast = useToast();
  const { busy, errors, run } = useSubmit();
  const [confirming, setConfirming] = useState(false);
  const pending = changes.filter((c) => c.revertible).length;

  const revert = () =>
    void run(async () => {
      const result = await api.invoke('users.revertSince', { id: userId, since, dryRun: false });
      setConfirming(false);
      toast(
        `Отменено изменений: ${result.reverted.length}.` + (result.conflicts.length ? ` Не отменено: ${result.conflicts.length} — причины в списке.` : ''),
      );
      onReverted();
    });

  return (
    <div className="stack">
      <p className="dialog-text">
        Учётная запись заблокирована. Изменения, сделанные от её имени с {formatDateTime(since, false)}: новые сверху. Отмена идёт от новых к старым
        и каждая записывается в журнал действий. Изменение не отменяется, если позднее ту же запись изменил другой пользователь.
      </p>
      {changes.length === 0 ? (
        <Notice>С этого момента от имени учётной записи ничего не изменялось.</Notice>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="table-caption">{countOf(changes.length, ['изменение', 'изменения', 'изменений'])}</caption>
            <thead>
              <tr>
                <th scope="col">№ записи</th>
                <th scope="col">Время</th>
                <th scope="col">Операция</th>
                <th scope="col">Что изменено</th>
                <th scope="col">Состояние</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.auditId}>
                  <td className="mono-digits">{c.auditId}</td>
                  <td className="nowrap">{formatDateTime(c.at, false)}</td>
                  <td>{c.title}</td>
                  <td>{c.summary}</td>
                  <td>
                    <ChangeState change={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNotice>{errors.message}</ErrorNotice>
      {confirming ? (
        <Form onSubmit={revert}>
          <Notice kind="warning">
            Отменить {countOf(pending, ['изменение', 'изменения', 'изменений'])}? Данные вернутся к прежним значениям, записи о движении получат
            отметку «внесено ошибочно», созданные коды доступа будут отозваны.
          </Notice>
          <DialogActions>
            <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
              Не отменять
            </button>
            <button type="submit" className="btn btn-danger" disabled={busy} data-autofocus="">
              Отменить изменения
            </button>
          </DialogActions>
        </Form>
      ) : (
        <DialogActions hint={false}>
          <button type="button" className="btn" onClick={onClose}>
            Закрыть
          </button>
          <button type="button" className="btn btn-danger" disabled={pending === 0} onClick={() => setConfirming(true)}>
            Отменить изменения ({pending})
          </button>
        </DialogActions>
      )}
    </div>
  );
}
