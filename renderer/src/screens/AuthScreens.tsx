import { useRef, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../../common/api/contract';
import { useApi } from '../api/context';
import { clientErrors, ErrorNotice, Kbd, Notice, Form, TextField, useSubmit } from '../components/ui';

function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth-page">
      <main className="auth-card" aria-labelledby="auth-title">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            К
          </span>
          <span className="brand-name">Канцелярия</span>
        </div>
        <h1 id="auth-title" className="auth-title">
          {title}
        </h1>
        {subtitle ? <div className="auth-subtitle">{subtitle}</div> : null}
        {children}
      </main>
      {footer ? <footer className="auth-footer">{footer}</footer> : null}
    </div>
  );
}

export function passwordsDiffer(password: string, repeat: string): string | null {
  return repeat !== password ? 'пароли не совпадают' : null;
}

export function passwordTooShort(password: string): string | null {
  return password.length < 6 ? 'не короче 6 символов' : null;
}

/* ------------------------------------------------------------- first run */

export function SetupScreen({ onDone, appVersion }: { onDone(info: SessionInfo, schoolName: string): void; appVersion: string }) {
  const api = useApi();
  const [schoolName, setSchoolName] = useState('');
  const [fullName, setFullName] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({
      schoolName: schoolName.trim().length < 3 && 'не короче 3 символов',
      fullName: !fullName.trim() && 'обязательное поле',
      login: !login.trim() && 'введите логин',
      password: passwordTooShort(password),
      passwordRepeat: passwordsDiffer(password, repeat),
    });
    if (local) return setErrors(local);
    void run(async () => {
      const info = await api.invoke('auth.setup', { schoolName: schoolName.trim(), fullName: fullName.trim(), login: login.trim(), password });
      onDone(info, schoolName.trim());
    });
  };

  return (
    <AuthLayout
      title="Первый запуск"
      subtitle="Программа ещё не настроена. Укажите школу и создайте учётную запись администратора — он заведёт остальных пользователей."
      footer={`Версия ${appVersion}`}
    >
      <Form className="form" onSubmit={submit}>
        <TextField label="Название школы" value={schoolName} onValue={setSchoolName} error={errors.fields.schoolName} first
          hint="Полное название, как в уставе; его можно изменить позже в «Настройках»." autoComplete="organization" />
        <TextField label="ФИО администратора" value={fullName} onValue={setFullName} error={errors.fields.fullName} autoComplete="name" />
        <TextField label="Логин" value={login} onValue={setLogin} error={errors.fields.login}
          hint="Латинские буквы, цифры, точка, дефис; от 3 символов." autoComplete="username" autoCapitalize="off" />
        <TextField label="Пароль" type="password" value={password} onValue={setPassword} error={errors.fields.password}
          hint="Не короче 6 символов." autoComplete="new-password" />
        <TextField label="Пароль ещё раз" type="password" value={repeat} onValue={setRepeat} error={errors.fields.passwordRepeat} autoComplete="new-password" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-wide" disabled={busy}>
            {busy ? 'Создание…' : 'Создать администратора и войти'}
          </button>
        </div>
      </Form>
    </AuthLayout>
  );
}

/* ----------------------------------------------------------------- login */

export function LoginScreen({
  schoolName,
  notice,
  appVersion,
  onDone,
}: {
  schoolName: string | null;
  notice: string | null;
  appVersion: string;
  onDone(info: SessionInfo): void;
}) {
  const api = useApi();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({ login: !login.trim() && 'введите логин', password: !password && 'введите пароль' });
    if (local) return setErrors(local);
    void run(async () => {
      try {
        onDone(await api.invoke('auth.login', { login: login.trim(), password }));
      } catch (error) {
        setPassword('');
        passwordRef.current?.focus();
        throw error;
      }
    });
  };

  return (
    <AuthLayout title="Вход" subtitle={schoolName ?? undefined} footer={`Версия ${appVersion}`}>
      {notice ? <Notice kind="warning">{notice}</Notice> : null}
      <Form className="form" onSubmit={submit}>
        <TextField label="Логин" value={login} onValue={setLogin} error={errors.fields.login} first autoComplete="username" autoCapitalize="off" />
        <TextField ref={passwordRef} label="Пароль" type="password" value={password} onValue={setPassword} error={errors.fields.password}
          autoComplete="current-password" />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-wide" disabled={busy}>
            {busy ? 'Вход…' : 'Войти'}
          </button>
        </div>
        <p className="muted small">
          <Kbd>Enter</Kbd> — войти. Забыли пароль — обратитесь к администратору программы.
        </p>
      </Form>
    </AuthLayout>
  );
}

/* ------------------------------------------------------------ unreachable */

export function UnreachableScreen({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <AuthLayout title="Программа недоступна">
      <div className="notice notice-error" role="alert">
        {message}
      </div>
      <p>
        Если вы открыли эту страницу в браузере сами, закройте её и откройте адрес, который программа напечатала при запуске. Если программа
        запущена, нажмите «Повторить».
      </p>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onRetry} autoFocus>
          Повторить
        </button>
      </div>
    </AuthLayout>
  );
}
