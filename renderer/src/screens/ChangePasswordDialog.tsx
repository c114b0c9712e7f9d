import { useState } from 'react';
import { useApi } from '../api/context';
import { clientErrors, Dialog, ErrorNotice, Form, SubmitActions, TextField, useSubmit, useToast } from '../components/ui';
import { passwordsDiffer, passwordTooShort } from './AuthScreens';

export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const api = useApi();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({
      currentPassword: !current && 'введите текущий пароль',
      newPassword: passwordTooShort(password) ?? (password === current ? 'новый пароль совпадает с текущим' : null),
      repeat: passwordsDiffer(password, repeat),
    });
    if (local) return setErrors(local);
    void run(async () => {
      await api.invoke('auth.changePassword', { currentPassword: current, newPassword: password });
      toast('Пароль изменён. При следующем входе используйте новый пароль.');
      onClose();
    });
  };

  return (
    <Dialog title="Смена пароля" onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit}>
        <TextField label="Текущий пароль" type="password" value={current} onValue={setCurrent} error={errors.fields.currentPassword} first
          autoComplete="current-password" />
        <TextField label="Новый пароль" type="password" value={password} onValue={setPassword} error={errors.fields.newPassword}
          hint="Не короче 6 символов." autoComplete="new-password" />
        <TextField label="Новый пароль ещё раз" type="password" value={repeat} onValue={setRepeat} error={errors.fields.repeat}
          autoComplete="new-password" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Сменить пароль" />
      </Form>
    </Dialog>
  );
}
