import { useEffect, useRef, useState } from 'react';
import type { MovementResult, PupilRow } from '../../../../common/api/contingent';
import { isValidSnils, normalizeSnils } from '../../../../common/domain/snils';
import { useApi, useLoad } from '../../api/context';
import { Dialog, DialogActions, ErrorNotice, Form, Notice, SelectField, TextField, useSubmit } from '../../components/ui';
import { formatIsoDate } from '../../format';
import { enterSubmits, fieldsUnder, fullName, newOrderChoice, OrderPicker, orderRefOf, type OrderChoice } from './common';
import { EMPTY_PERSON, PersonFields, pupilInputOf, pupilProblems, type PersonValues } from './PersonForm';

type Step = 'order' | 'search' | 'form' | 'class' | 'confirm' | 'done';

const STEP_TITLES: Record<Exclude<Step, 'done'>, string> = {
  order: 'Приказ',
  search: 'Обучающийся',
  form: 'Анкета',
  class: 'Класс',
  confirm: 'Проверка',
};
const STEP_ORDER: Exclude<Step, 'done'>[] = ['order', 'search', 'form', 'class', 'confirm'];

/** Which step shows a server error on a field. */
function stepOfField(key: string): Step {
  if (key.startsWith('order')) return 'order';
  if (key.startsWith('pupil.')) return 'form';
  if (key === 'classId' || key === 'place' || key === 'date') return 'class';
  return 'confirm';
}

/**
 * «Зачисление»: the order, the pupil (a former pupil returning, never a duplicate, or a new one),
 * the class, then confirmation. Enter moves on; Esc closes.
 */
export function AdmissionWizard({ onClose, onOpenCard, onDone }: { onClose(): void; onOpenCard(pupilId: number): void; onDone(): void }) {
  const api = useApi();
  const [step, setStep] = useState<Step>('order');
  const [order, setOrder] = useState<OrderChoice>(newOrderChoice());
  const [person, setPerson] = useState<PersonValues>(EMPTY_PERSON);
  const [matches, setMatches] = useState<PupilRow[] | null>(null);
  const [returning, setReturning] = useState<PupilRow | null>(null);
  const [classId, setClassId] = useState('');
  const [place, setPlace] = useState('');
  const [result, setResult] = useState<MovementResult | null>(null);
  const { busy, errors, setErrors, run } = useSubmit();
  const classes = useLoad(() => api.invoke('classes.list', { date: order.date || undefined }), `${order.date}`);
  const openClasses = (classes.data?.classes ?? []).filter((c) => !c.yearClosed);
  const chosenClass = openClasses.find((c) => String(c.id) === classId);

  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Each step starts at its first field, so the keyboard never has to look for it.
    const root = formRef.current;
    const target =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), button.btn-primary:not([disabled])');
    target?.focus();
  }, [step]);

  const fail = (fields: Record<string, string>, message = 'Проверьте отмеченные поля.') => setErrors({ message, fields });

  const next = () => {
    setErrors({ message: null, fields: {} });
    if (step === 'order') {
      const ref = orderRefOf(order);
      if ('problems' in ref) return fail(ref.problems);
      setStep('search');
    } else if (step === 'search') {
      const local: Record<string, string> = {};
      if (!person.lastName.trim()) local.lastName = 'обязательное поле';
      if (!person.firstName.trim()) local.firstName = 'обязательное поле';
      if (!person.birthDate) local.birthDate = 'укажите дату рождения';
      if (person.snils.trim()) {
        if (!normalizeSnils(person.snils)) local.snils = 'СНИЛС — 11 цифр';
        else if (!isValidSnils(person.snils)) local.snils = 'неверная контрольная сумма СНИЛС';
      }
      if (Object.keys(local).length) return fail(Object.fromEntries(Object.entries(local).map(([k, v]) => [`pupil.${k}`, v])));
      void run(async () => {
        const found = await api.invoke('pupils.findExisting', {
          snils: person.snils.trim() || null,
          lastName: person.lastName.trim(),
          firstName: person.firstName.trim(),
          middleName: person.middleName.trim() || null,
          birthDate: person.birthDate,
        });
        setMatches(found.matches);
        setReturning(null);
        if (found.matches.length === 0) setStep('form');
      });
    } else if (step === 'form') {
      const problems = pupilProblems(person, 'pupil');
      if (problems) return fail(problems);
      setStep('class');
    } else if (step === 'class') {
      if (!classId) return fail({ classId: 'выберите класс' });
      setStep('confirm');
    } else if (step === 'confirm') {
      const ref = orderRefOf(order);
      if ('problems' in ref) return fail(ref.problems);
      void run(async () => {
        try {
          const done = await api.invoke('movement.admit', {
            order: ref.ref,
            classId: Number(classId),
            ...(returning ? { pupilId: returning.id } : { pupil: pupilInputOf(person) }),
            place: place.trim() || null,
          });
          setResult(done);
          setStep('done');
          onDone();
        } catch (error) {
          const keys = Object.keys((error as { fields?: Record<string, string> }).fields ?? {});
          const first = keys.map(stepOfField).find((s) => s !== 'confirm');
          if (first) setStep(first);
          throw error;
        }
      });
    }
  };

  const back = () => {
    setErrors({ message: null, fields: {} });
    if (step === 'search') setStep('order');
    else if (step === 'form') setStep('search');
    else if (step === 'class') setStep(returning ? 'search' : 'form');
    else if (step === 'confirm') setStep('class');
  };

  const chooseReturning = (row: PupilRow) => {
    setReturning(row);
    setErrors({ message: null, fields: {} });
    setStep('class');
  };

  const orderErrors = fieldsUnder(errors, 'order');
  const pupilErrors = fieldsUnder(errors, 'pupil');
  const pupilName = returning ? fullName(returning) : fullName(person);

  return (
    <Dialog title="Зачисление" onClose={onClose} closable={!busy} className="dialog-wide">
      {step !== 'done' ? (
        <ol className="steps wizard-steps" aria-label="Шаги">
          {STEP_ORDER.filter((s) => !(returning && s === 'form')).map((s, i) => (
            <li key={s} aria-current={s === step ? 'step' : undefined} className={s === step ? 'step-current' : undefined}>
              {i + 1}. {STEP_TITLES[s]}
            </li>
          ))}
        </ol>
      ) : null}
      <div ref={formRef}>
      <Form className="form" onSubmit={next} onKeyDown={enterSubmits} key={step}>
        {step === 'order' ? <OrderPicker kind="admission" value={order} onValue={setOrder} errors={orderErrors} first /> : null}

        {step === 'search' ? (
          <>
            <p className="dialog-text">
              Введите ФИО и дату рождения или СНИЛС. Программа проверит, не обучался ли ребёнок в школе раньше: вернувшегося зачисляют в его
              прежнюю запись, без второй карточки.
            </p>
            <PersonFields kind="pupil" only="search" value={person} onValue={(v) => { setPerson(v); setMatches(null); }} errors={pupilErrors} />
            {matches && matches.length > 0 ? (
              <div className="panel" role="group" aria-label="Найдены ранее обучавшиеся">
                <h3 className="panel-title">Найдены в реестре</h3>
                <ul className="match-list">
                  {matches.map((m) => (
                    <li key={m.id}>
                      <strong>{fullName(m)}</strong>, {formatIsoDate(m.birthDate)}
                      {m.fileNo ? `, личное дело № ${m.fileNo}` : ''}
                      {m.enrolled ? (
                        <>
                          {' '}
                          — <span className="tag">обучается{m.class ? ` в ${m.class}` : ''}</span>{' '}
                          <button type="button" className="btn btn-small" onClick={() => onOpenCard(m.id)}>
                            Открыть карточку
                          </button>
                        </>
                      ) : (
                        <>
                          {' '}
                          — выбыл(а).{' '}
                          <button type="button" className="btn btn-small btn-primary" onClick={() => chooseReturning(m)}>
                            Зачислить повторно
                          </button>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
                <p className="small muted">
                  {person.snils.trim()
                    ? 'СНИЛС совпадает: это тот же человек, второй карточки не будет.'
                    : 'Если это другой человек (совпали только ФИО и дата рождения), заведите новую анкету.'}{' '}
                  {person.snils.trim() ? null : (
                    <button type="button" className="link-button" onClick={() => setStep('form')}>
                      Это другой человек — новый обучающийся
                    </button>
                  )}
                </p>
              </div>
            ) : null}
          </>
        ) : null}

        {step === 'form' ? (
          <>
            <p className="dialog-text">Новый обучающийся: заполните анкету (поля без пометки «если есть» — по документам).</p>
            <PersonFields kind="pupil" value={person} onValue={setPerson} errors={pupilErrors} />
          </>
        ) : null}

        {step === 'class' ? (
          <div className="form-grid">
            <SelectField
              label="Класс"
              first
              value={classId}
              onValue={setClassId}
              options={[
                { value: '', label: classes.loading ? 'Загрузка…' : '— выберите класс —' },
                ...openClasses.map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils} обуч.)${c.teacher ? ` — ${c.teacher}` : ''}` })),
              ]}
              error={errors.fields.classId}
              hint={classes.data && openClasses.length === 0 ? 'На дату приказа классов нет: сначала откройте учебный год.' : `Классы на ${formatIsoDate(order.date)}`}
            />
            <TextField label="Откуда прибыл" value={place} onValue={setPlace} error={errors.fields.place} autoComplete="off"
              hint="школа или населённый пункт; пусто — впервые" />
            <ErrorNotice error={classes.error} />
          </div>
        ) : null}

        {step === 'confirm' ? (
          <dl className="kv">
            <div className="kv-row">
              <dt>Приказ</dt>
              <dd>
                {order.existingId ? `№ ${order.number} от ${formatIsoDate(order.date)}` : `новый${order.number.trim() ? ` № ${order.number.trim()}` : ' (следующий номер)'} от ${formatIsoDate(order.date)}`}
              </dd>
            </div>
            <div className="kv-row">
              <dt>Обучающийся</dt>
              <dd>
                {pupilName}, {formatIsoDate(returning?.birthDate ?? person.birthDate)}
                {returning ? ` — возвращается, личное дело № ${returning.fileNo ?? '—'}` : ' — новый'}
              </dd>
            </div>
            <div className="kv-row">
              <dt>Класс</dt>
              <dd>{chosenClass?.label}</dd>
            </div>
            <div className="kv-row">
              <dt>Откуда прибыл</dt>
              <dd>{place.trim() || <span className="muted">не указано</span>}</dd>
            </div>
          </dl>
        ) : null}

        {step === 'done' && result ? (
          <Notice kind="success">
            <strong>{pupilName}</strong> зачислен(а) в {chosenClass?.label} по приказу № {result.order}. Номер личного дела:{' '}
            <strong data-testid="file-no">{result.fileNo}</strong>.
          </Notice>
        ) : null}

        <ErrorNotice>{errors.message}</ErrorNotice>
        {step === 'done' && result ? (
          <DialogActions hint={false}>
            <button type="button" className="btn" onClick={onClose}>
              Закрыть
            </button>
            <button type="button" className="btn btn-primary" data-autofocus="" autoFocus onClick={() => onOpenCard(result.pupilId)}>
              Открыть карточку
            </button>
          </DialogActions>
        ) : (
          <DialogActions>
            {step !== 'order' ? (
              <button type="button" className="btn" onClick={back} disabled={busy}>
                Назад
              </button>
            ) : (
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                Отмена
              </button>
            )}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {step === 'confirm' ? 'Зачислить' : step === 'search' ? 'Найти и продолжить' : 'Далее'}
            </button>
          </DialogActions>
        )}
      </Form>
      </div>
    </Dialog>
  );
}

