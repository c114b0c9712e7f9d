import { useState } from 'react';
import { ROLE_LABELS } from '../../../common/roles';
import { useApi, useSession } from '../api/context';
import { clientErrors, Dialog, ErrorNotice, Kbd, Form, TextField, useSubmit } from '../components/ui';

/** Covers the window after inactivity; only the user's own password opens it again. */
export function LockScreen({ onUnlocked, onLogout }: { onUnlocked(): void; onLogout(): void }) {
  const api = useApi();
  const { user } = useSession();
  const [password, setPassword] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({ password: !password && 'введите пароль' });
    if (local) return setErrors(local);
    void run(async () => {
      try {
        await api.invoke('auth.unlockScreen', { password });
      } catch (error) {
        setPassword('');
        throw error;
      }
      onUnlocked();
    });
  };

  return (
    <Dialog title="Экран заблокирован" onClose={() => undefined} closable={false} className="lock-dialog"
      before={
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            К
          </span>
          <span className="brand-name">Канцелярия</span>
        </div>
      }>
      <div className="lock-body">
        <p className="lock-text">
          Программа заблокирована после бездействия, чтобы посторонние не увидели личные данные. Работает:{' '}
          <strong>{user.fullName}</strong> ({ROLE_LABELS[user.role]}).
        </p>
        <Form className="form" onSubmit={submit}>
          <TextField label="Пароль" type="password" value={password} onValue={setPassword} error={errors.fields.password} first
            autoComplete="current-password" />
          <ErrorNotice>{errors.message}</ErrorNotice>
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Разблокировать
            </button>
            <button type="button" className="btn" onClick={onLogout} disabled={busy}>
              Выйти
            </button>
          </div>
          <p className="muted small">
            <Kbd>Enter</Kbd> — разблокировать. Несохранённые данные в открытых окнах сохранятся.
          </p>
        </Form>
      </div>
    </Dialog>
  );
}
