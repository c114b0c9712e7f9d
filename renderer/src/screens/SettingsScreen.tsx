import { useState } from 'react';
import { roleMayCall } from '../../../common/api/contract';
import type { School, Settings } from '../../../common/api/schemas';
import { useApi, useLoad, useSession } from '../api/context';
import { clientErrors, ErrorNotice, Loading, Notice, Form, TextField, useSubmit, useToast } from '../components/ui';
import { countOf } from '../format';
import { ArchiveSettingsForm } from './archive/ArchiveSettingsForm';

export function SettingsScreen() {
  const api = useApi();
  const { user } = useSession();
  const data = useLoad(async () => {
    const [overview, settings] = await Promise.all([api.invoke('school.overview', {}), api.invoke('settings.get', {})]);
    return { school: overview.school, settings };
  });
  const mayEditSchool = roleMayCall('school.update', user.role);
  const mayEditSettings = roleMayCall('settings.update', user.role);

  if (!data.data) return data.error ? <ErrorNotice error={data.error} /> : <Loading />;
  return (
    <div className="stack">
      {!mayEditSchool || !mayEditSettings ? <Notice>Здесь можно только посмотреть настройки: изменять их может администратор.</Notice> : null}
      <SchoolCardForm initial={data.data.school} editable={mayEditSchool} />
      <LockForm initial={data.data.settings} editable={mayEditSettings} />
      <OrderNumberForm initial={data.data.settings} editable={mayEditSettings} />
      <ArchiveSettingsForm initial={data.data.settings} editable={mayEditSettings} />
    </div>
  );
}

const SCHOOL_FIELDS: readonly { key: keyof School; label: string; hint?: string; type?: string; autoComplete?: string }[] = [
  { key: 'name', label: 'Полное название', hint: 'Как в уставе; печатается на титульных листах.', autoComplete: 'organization' },
  { key: 'shortName', label: 'Краткое название', hint: 'Например, МБОУ СОШ № 1.' },
  { key: 'address', label: 'Адрес', autoComplete: 'street-address' },
  { key: 'directorName', label: 'ФИО директора', hint: 'Для подписей: «Директор ____ /И. О. Фамилия/».' },
  { key: 'phone', label: 'Телефон', type: 'tel', autoComplete: 'tel' },
  { key: 'email', label: 'Электронная почта', type: 'email', autoComplete: 'email' },
  { key: 'inn', label: 'ИНН', hint: '10 цифр.' },
];

function schoolErrors(school: School) {
  return clientErrors({
    name: school.name.trim().length < 3 && 'не короче 3 символов',
    email: school.email.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(school.email.trim()) && 'адрес вида school@example.ru',
    inn: school.inn.trim() !== '' && !/^(\d{10}|\d{12})$/.test(school.inn.trim()) && '10 цифр (у организации) или 12',
  });
}

function SchoolCardForm({ initial, editable }: { initial: School; editable: boolean }) {
  const api = useApi();
  const session = useSession();
  const toast = useToast();
  const [saved, setSaved] = useState(initial);
  const [school, setSchool] = useState(initial);
  const { busy, errors, setErrors, run } = useSubmit();
  const changed = (Object.keys(school) as (keyof School)[]).filter((key) => school[key].trim() !== saved[key]);

  const submit = () => {
    const local = schoolErrors(school);
    if (local) return setErrors(local);
    if (changed.length === 0) return;
    const params: Partial<School> = {};
    for (const key of changed) params[key] = school[key].trim();
    void run(async () => {
      const result = await api.invoke('school.update', params);
      setSaved(result);
      setSchool(result);
      session.setSchoolName(result.name);
      toast(`Сведения о школе сохранены (${countOf(changed.length, ['поле', 'поля', 'полей'])}).`);
    });
  };

  return (
    <section className="panel" aria-labelledby="school-card-title">
      <h2 id="school-card-title" className="panel-title">
        Карточка школы
      </h2>
      <Form className="form form-two-columns" onSubmit={submit}>
        {SCHOOL_FIELDS.map((field) => (
          <TextField
            key={field.key}
            label={field.label}
            value={school[field.key]}
            onValue={(value) => setSchool((s) => ({ ...s, [field.key]: value }))}
            error={errors.fields[field.key]}
            hint={editable ? field.hint : undefined}
            type={field.type ?? 'text'}
            autoComplete={field.autoComplete ?? 'off'}
            readOnly={!editable}
            first={editable && field.key === 'name'}
            fieldClassName={field.key === 'name' || field.key === 'address' ? 'span-2' : undefined}
          />
        ))}
        <div className="span-2">
          <ErrorNotice>{errors.message}</ErrorNotice>
        </div>
        {editable ? (
          <div className="form-actions span-2">
            <button type="submit" className="btn btn-primary" disabled={busy || changed.length === 0}>
              Сохранить сведения о школе
            </button>
            <button type="button" className="btn" disabled={busy || changed.length === 0} onClick={() => setSchool(saved)}>
              Отменить правки
            </button>
            {changed.length > 0 ? <span className="muted small">Есть несохранённые изменения.</span> : null}
          </div>
        ) : null}
      </Form>
    </section>
  );
}

function LockForm({ initial, editable }: { initial: Settings; editable: boolean }) {
  const api = useApi();
  const session = useSession();
  const toast = useToast();
  const [saved, setSaved] = useState(initial.lockAfterMinutes);
  const [minutes, setMinutes] = useState(String(initial.lockAfterMinutes));
  const { busy, errors, setErrors, run } = useSubmit();
  const value = Number(minutes);
  const changed = minutes.trim() !== String(saved);

  const submit = () => {
    const local = clientErrors({
      lockAfterMinutes: (!/^\d+$/.test(minutes.trim()) || value > 240) && 'целое число минут от 0 до 240',
    });
    if (local) return setErrors(local);
    void run(async () => {
      const result = await api.invoke('settings.update', { lockAfterMinutes: value });
      setSaved(result.lockAfterMinutes);
      setMinutes(String(result.lockAfterMinutes));
      session.setLockAfterMinutes(result.lockAfterMinutes);
      toast(
        result.lockAfterMinutes === 0
          ? 'Автоматическая блокировка экрана выключена.'
          : `Экран будет блокироваться через ${countOf(result.lockAfterMinutes, ['минуту', 'минуты', 'минут'])} бездействия.`,
      );
    });
  };

  return (
    <section className="panel" aria-labelledby="lock-title">
      <h2 id="lock-title" className="panel-title">
        Блокировка экрана
      </h2>
      <Form className="form form-inline" onSubmit={submit}>
        <TextField
          label="Блокировка экрана через N минут"
          inputMode="numeric"
          value={minutes}
          onValue={setMinutes}
          error={errors.fields.lockAfterMinutes}
          hint="0 — не блокировать. После блокировки работу продолжают, введя свой пароль."
          readOnly={!editable}
          fieldClassName="field-narrow"
        />
        {editable ? (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || !changed}>
              Сохранить
            </button>
          </div>
        ) : null}
      </Form>
      <ErrorNotice>{errors.message}</ErrorNotice>
    </section>
  );
}

/** The suffix of the numbers of orders on pupils («12-у»): schools number them their own way. */
function OrderNumberForm({ initial, editable }: { initial: Settings; editable: boolean }) {
  const api = useApi();
  const toast = useToast();
  const [saved, setSaved] = useState(initial.orderSuffix);
  const [suffix, setSuffix] = useState(initial.orderSuffix);
  const { busy, errors, setErrors, run } = useSubmit();
  const changed = suffix.trim() !== saved;

  const submit = () => {
    const local = clientErrors({ orderSuffix: suffix.trim().length > 10 && 'не длиннее 10 символов' });
    if (local) return setErrors(local);
    void run(async () => {
      const result = await api.invoke('settings.update', { orderSuffix: suffix.trim() });
      setSaved(result.orderSuffix);
      setSuffix(result.orderSuffix);
      toast(`Новые приказы по контингенту будут нумероваться так: 12${result.orderSuffix}.`);
    });
  };

  return (
    <section className="panel" aria-labelledby="order-number-title">
      <h2 id="order-number-title" className="panel-title">
        Нумерация приказов по контингенту
      </h2>
      <Form className="form form-inline" onSubmit={submit}>
        <TextField
          label="Окончание номера приказа"
          value={suffix}
          onValue={setSuffix}
          error={errors.fields.orderSuffix}
          hint={`Номер приказа в учебном году и это окончание, например 12${suffix.trim()}. Уже выпущенные приказы не меняются.`}
          readOnly={!editable}
          fieldClassName="field-narrow"
        />
        {editable ? (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || !changed}>
              Сохранить
            </button>
          </div>
        ) : null}
      </Form>
      <ErrorNotice>{errors.message}</ErrorNotice>
    </section>
  );
}
