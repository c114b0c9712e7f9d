import { useState } from 'react';
import { roleMayCall } from '../../../common/api/contract';
import type { User } from '../../../common/api/schemas';
import { ROLE_LABELS, ROLES, type Role } from '../../../common/roles';
import { useApi, useLoad, useSession } from '../api/context';
import {
  clientErrors,
  ConfirmDialog,
  Dialog,
  ErrorNotice,
  Loading,
  Form,
  SelectField,
  TextField,
  useSubmit,
  useToast, SubmitActions } from '../components/ui';
import { countOf, formatDateTime } from '../format';
import { passwordsDiffer, passwordTooShort } from './AuthScreens';
import { DisclosureDialog } from './DisclosureDialog';

const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

type Editing =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'password'; user: User }
  | { kind: 'lock'; user: User }
  | { kind: 'disclose'; user: User };

export function UsersScreen() {
  const api = useApi();
  const session = useSession();
  const toast = useToast();
  const list = useLoad(() => api.invoke('users.list', {}));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const mayEdit = roleMayCall('users.create', session.user.role);

  const done = (message: string) => {
    setEditing(null);
    setActionError(null);
    toast(message);
    list.reload();
  };

  const unlock = async (user: User) => {
    setActionError(null);
    try {
      await api.invoke('users.unlock', { id: user.id });
      done(`Пользователь ${user.login} разблокирован: он снова может войти.`);
    } catch (error) {
      setActionError(error);
    }
  };

  return (
    <div className="stack">
      <div className="toolbar">
        <p className="muted toolbar-text">
          {mayEdit
            ? 'Учётные записи сотрудников школы. Пароли не показываются нигде: забытый пароль администратор сбрасывает.'
            : 'Учётные записи сотрудников школы. Изменять их может только администратор.'}
        </p>
        {mayEdit ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: 'create' })}>
            Создать пользователя…
          </button>
        ) : null}
      </div>
      <ErrorNotice error={actionError ?? list.error} />
      {list.data ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="table-caption">{countOf(list.data.users.length, ['пользователь', 'пользователя', 'пользователей'])}</caption>
            <thead>
              <tr>
                <th scope="col">Логин</th>
                <th scope="col">ФИО</th>
                <th scope="col">Роль</th>
                <th scope="col">Состояние</th>
                <th scope="col">Последний вход</th>
                {mayEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Действия</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.data.users.map((user) => (
                <tr key={user.id}>
                  <td className="mono">{user.login}</td>
                  <td>
                    {user.fullName}
                    {user.id === session.user.id ? <span className="tag">это вы</span> : null}
                  </td>
                  <td>{ROLE_LABELS[user.role]}</td>
                  <td>
                    <UserState user={user} />
                  </td>
                  <td className="nowrap">{user.lastLoginAt ? formatDateTime(user.lastLoginAt, false) : <span className="muted">не входил</span>}</td>
                  {mayEdit ? (
                    <td>
                      <div className="row-actions" style={{ flexWrap: 'wrap' }}>
                      <button type="button" className="btn btn-small" aria-label={`Изменить ${user.login}`}
                        onClick={() => setEditing({ kind: 'edit', user })}>
                        Изменить
                      </button>
                      {user.locked ? (
                        <button type="button" className="btn btn-small" aria-label={`Разблокировать ${user.login}`} onClick={() => void unlock(user)}>
                          Разблокировать
                        </button>
                      ) : (
                        <button type="button" className="btn btn-small btn-danger-quiet" aria-label={`Заблокировать ${user.login}`}
                          disabled={user.id === session.user.id} title={user.id === session.user.id ? 'Нельзя заблокировать себя' : undefined}
                          onClick={() => setEditing({ kind: 'lock', user })}>
                          Заблокировать
                        </button>
                      )}
                      <button type="button" className="btn btn-small" aria-label={`Сбросить пароль ${user.login}`}
                        onClick={() => setEditing({ kind: 'password', user })}>
                        Сбросить пароль
                      </button>
                      <button type="button" className="btn btn-small btn-danger-quiet" aria-label={`Учётные данные раскрыты: ${user.login}`}
                        disabled={user.id === session.user.id} title={user.id === session.user.id ? 'Это ваша учётная запись: попросите другого администратора' : undefined}
                        onClick={() => setEditing({ kind: 'disclose', user })}>
                        Учётные данные раскрыты…
                      </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : list.error ? null : (
        <Loading />
      )}

      {editing?.kind === 'create' ? (
        <CreateUserDialog onClose={() => setEditing(null)} onDone={(user) => done(`Пользователь ${user.login} создан. Сообщите ему логин и пароль лично.`)} />
      ) : null}
      {editing?.kind === 'edit' ? (
        <EditUserDialog user={editing.user} onClose={() => setEditing(null)} onDone={(user) => {
          done(`Сведения о пользователе ${user.login} сохранены.`);
          if (user.id === session.user.id) void session.refreshUser().catch(() => undefined);
        }} />
      ) : null}
      {editing?.kind === 'password' ? (
        <ResetPasswordDialog user={editing.user} onClose={() => setEditing(null)}
          onDone={(user) => done(`Пароль пользователя ${user.login} изменён. Сообщите новый пароль лично.`)} />
      ) : null}
      {editing?.kind === 'disclose' ? (
        <DisclosureDialog user={editing.user} onClose={() => setEditing(null)} onChanged={list.reload} />
      ) : null}
      {editing?.kind === 'lock' ? (
        <ConfirmDialog
          title="Блокировка пользователя"
          text={
            <>
              Заблокировать пользователя <strong>{editing.user.login}</strong> ({editing.user.fullName})? Он не сможет войти в программу, его
              открытые сеансы завершатся. Разблокировать можно в любой момент.
            </>
          }
          confirmLabel="Заблокировать"
          danger
          onClose={() => setEditing(null)}
          onConfirm={async () => {
            await api.invoke('users.lock', { id: editing.user.id });
            done(`Пользователь ${editing.user.login} заблокирован.`);
          }}
        />
      ) : null}
    </div>
  );
}

function UserState({ user }: { user: User }) {
  if (user.locked) {
    return (
      <span className="state state-locked">
        заблокирован
        {user.failedAttempts > 0 ? <span className="state-note">неудачных попыток: {user.failedAttempts}</span> : null}
        {user.disclosedSince ? <span className="state-note">учётные данные раскрыты с {formatDateTime(user.disclosedSince, false)}</span> : null}
      </span>
    );
  }
  return (
    <span className="state state-active">
      активен
      {user.failedAttempts > 0 ? <span className="state-note">неудачных попыток: {user.failedAttempts}</span> : null}
    </span>
  );
}

function CreateUserDialog({ onClose, onDone }: { onClose(): void; onDone(user: User): void }) {
  const api = useApi();
  const [login, setLogin] = useState('');
  const [fullName, setFullName] = useState('');
  const [role, setRole] = useState<Role>('secretary');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({
      login: !login.trim() && 'введите логин',
      fullName: !fullName.trim() && 'обязательное поле',
      password: passwordTooShort(password),
      repeat: passwordsDiffer(password, repeat),
    });
    if (local) return setErrors(local);
    void run(async () => {
      onDone(await api.invoke('users.create', { login: login.trim(), fullName: fullName.trim(), role, password }));
    });
  };

  return (
    <Dialog title="Новый пользователь" onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit}>
        <TextField label="Логин" value={login} onValue={setLogin} error={errors.fields.login} first autoComplete="off" autoCapitalize="off"
          hint="Латинские буквы, цифры, точка, дефис, подчёркивание." />
        <TextField label="ФИО" value={fullName} onValue={setFullName} error={errors.fields.fullName} autoComplete="off" />
        <SelectField label="Роль" value={role} onValue={(value: Role) => setRole(value)} options={ROLE_OPTIONS} error={errors.fields.role} />
        <TextField label="Пароль" type="password" value={password} onValue={setPassword} error={errors.fields.password} autoComplete="new-password"
          hint="Не короче 6 символов. Сообщите его сотруднику лично." />
        <TextField label="Пароль ещё раз" type="password" value={repeat} onValue={setRepeat} error={errors.fields.repeat} autoComplete="new-password" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Создать" />
      </Form>
    </Dialog>
  );
}

function EditUserDialog({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const api = useApi();
  const [fullName, setFullName] = useState(user.fullName);
  const [role, setRole] = useState<Role>(user.role);
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({ fullName: !fullName.trim() && 'обязательное поле' });
    if (local) return setErrors(local);
    void run(async () => {
      onDone(await api.invoke('users.update', { id: user.id, fullName: fullName.trim(), role }));
    });
  };

  return (
    <Dialog title={`Пользователь ${user.login}`} onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit}>
        <TextField label="ФИО" value={fullName} onValue={setFullName} error={errors.fields.fullName} first autoComplete="off" />
        <SelectField label="Роль" value={role} onValue={(value: Role) => setRole(value)} options={ROLE_OPTIONS} error={errors.fields.role}
          hint="Новая роль действует сразу, в том числе в уже открытых сеансах." />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Сохранить" />
      </Form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({ password: passwordTooShort(password), repeat: passwordsDiffer(password, repeat) });
    if (local) return setErrors(local);
    void run(async () => {
      onDone(await api.invoke('users.resetPassword', { id: user.id, password }));
    });
  };

  return (
    <Dialog title={`Сброс пароля: ${user.login}`} onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit}>
        <p className="dialog-text">
          Задайте новый пароль для {user.fullName}. Открытые сеансы пользователя завершатся; счётчик неудачных попыток обнулится.
        </p>
        <TextField label="Новый пароль" type="password" value={password} onValue={setPassword} error={errors.fields.password} first
          autoComplete="new-password" hint="Не короче 6 символов." />
        <TextField label="Новый пароль ещё раз" type="password" value={repeat} onValue={setRepeat} error={errors.fields.repeat}
          autoComplete="new-password" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Сменить пароль" />
      </Form>
    </Dialog>
  );
}
