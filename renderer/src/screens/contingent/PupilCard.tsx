import { useState } from 'react';
import { roleMayCall, type Result } from '../../../../common/api/contract';
import { KINSHIPS, type EventRow, type Kinship, type PupilCard as Card } from '../../../../common/api/contingent';
import { formatPhone } from '../../../../common/domain/person';
import { useApi, useLoad, useSession } from '../../api/context';
import { clientErrors, ConfirmDialog, Dialog, ErrorNotice, Form, Kbd, Loading, SelectField, SubmitActions, TextField, useSubmit, useToast } from '../../components/ui';
import { formatIsoDate } from '../../format';
import { enterSubmits, fieldsUnder, fullName, PrintButton, useDebounced } from './common';
import { CancelEventDialog, LeaveDialog, TransferDialog } from './MovementDialogs';
import { EMPTY_PERSON, guardianInputOf, guardianProblems, PersonFields, personValuesFrom, PersonView, pupilInputOf, pupilProblems, type PersonValues } from './PersonForm';

type CardGuardian = Card['guardians'][number];

type Editing =
  | { kind: 'data' }
  | { kind: 'transfer' }
  | { kind: 'leave' }
  | { kind: 'cancel'; event: EventRow }
  | { kind: 'addGuardian' }
  | { kind: 'editGuardian'; guardian: CardGuardian }
  | { kind: 'unlinkGuardian'; guardian: CardGuardian };

/** The pupil's card: personal data, guardians, classes, movement; actions by order. */
export function PupilCardView({ pupilId, onBack }: { pupilId: number; onBack(): void }) {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const card = useLoad(() => api.invoke('pupils.get', { id: pupilId }), String(pupilId));
  const [editing, setEditing] = useState<Editing | null>(null);
  const mayEdit = roleMayCall('pupils.update', user.role);
  const mayMove = roleMayCall('movement.transfer', user.role);
  const done = (message: string) => {
    setEditing(null);
    toast(message);
    card.reload();
  };

  const p = card.data;
  // Only the latest standing record can be cancelled (later ones first): offer it on that one.
  const standing = (p?.events ?? [])
    .filter((e) => !e.cancelled && e.kind !== 'cancellation')
    .reduce<EventRow | null>((last, e) => (!last || e.date > last.date || (e.date === last.date && e.id > last.id) ? e : last), null);
  return (
    <div
      className="stack pupil-card"
      onKeyDown={(event) => {
        // Esc on the card (not in a dialog over it) goes back to the list.
        if (event.key === 'Escape' && !(event.target as HTMLElement).closest('dialog')) onBack();
      }}
    >
      <div className="toolbar">
        <button type="button" className="btn btn-quiet" onClick={onBack} autoFocus>
          ← К списку
        </button>
        <span className="shortcut-hint" aria-hidden="true">
          <Kbd>Esc</Kbd> — к списку
        </span>
      </div>
      <ErrorNotice error={card.error} />
      {!p ? (
        card.error ? null : <Loading />
      ) : (
        <>
          <section className="panel" aria-labelledby="pupil-name">
            <h2 className="panel-title" id="pupil-name">
              {fullName(p)}
            </h2>
            <p>
              {p.enrolled ? <span className="tag">{p.class ?? 'без класса'}</span> : <span className="tag">выбыл(а)</span>} Личное дело №{' '}
              <strong data-testid="card-file-no">{p.fileNo ?? '—'}</strong>
            </p>
            <div className="button-row">
              {mayEdit ? (
                <button type="button" className="btn" onClick={() => setEditing({ kind: 'data' })}>
                  Изменить анкету…
                </button>
              ) : null}
              {mayMove && p.enrolled ? (
                <>
                  <button type="button" className="btn" onClick={() => setEditing({ kind: 'transfer' })}>
                    Перевести в другой класс…
                  </button>
                  <button type="button" className="btn" onClick={() => setEditing({ kind: 'leave' })}>
                    Выбытие…
                  </button>
                </>
              ) : null}
              <PrintButton label="Выписка текущих отметок" document={{ kind: 'marksExtract', pupilId: p.id }} />
            </div>
            <PersonView p={p} />
          </section>

          <section className="panel" aria-labelledby="guardians-title">
            <h2 className="panel-title" id="guardians-title">
              Законные представители
            </h2>
            {p.guardians.length === 0 ? <p className="muted">Не указаны.</p> : null}
            {p.guardians.length > 0 ? (
              <div className="table-wrap">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">ФИО</th>
                      <th scope="col">Родство</th>
                      <th scope="col">Документ о полномочиях</th>
                      <th scope="col">Телефон</th>
                      <th scope="col">E-mail</th>
                      {mayEdit ? (
                        <th scope="col">
                          <span className="visually-hidden">Действия</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {p.guardians.map((g) => (
                      <tr key={g.id}>
                        <td>{fullName(g)}</td>
                        <td>{g.kinship}</td>
                        <td>{g.authorityDoc ?? ''}</td>
                        <td className="nowrap">{g.phone ? formatPhone(g.phone) : ''}</td>
                        <td>{g.email ?? ''}</td>
                        {mayEdit ? (
                          <td>
                            <div className="row-actions">
                              <button type="button" className="btn btn-small" aria-label={`Изменить ${fullName(g)}`} onClick={() => setEditing({ kind: 'editGuardian', guardian: g })}>
                                Изменить
                              </button>
                              <button type="button" className="btn btn-small btn-danger-quiet" aria-label={`Убрать ${fullName(g)}`}
                                onClick={() => setEditing({ kind: 'unlinkGuardian', guardian: g })}>
                                Убрать
                              </button>
                            </div>
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {mayEdit ? (
              <button type="button" className="btn" onClick={() => setEditing({ kind: 'addGuardian' })}>
                Добавить представителя…
              </button>
            ) : null}
          </section>

          <section className="panel" aria-labelledby="classes-title">
            <h2 className="panel-title" id="classes-title">
              Классы
            </h2>
            {p.memberships.length === 0 ? (
              <p className="muted">Ни в одном классе не состоял(а).</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Класс</th>
                    <th scope="col">С</th>
                    <th scope="col">По</th>
                  </tr>
                </thead>
                <tbody>
                  {p.memberships.map((m, i) => (
                    <tr key={`${m.classId}-${m.from}-${i}`}>
                      <td>{m.class}</td>
                      <td className="nowrap">{formatIsoDate(m.from)}</td>
                      <td className="nowrap">{m.to ? formatIsoDate(m.to) : <span className="muted">по настоящее время</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="panel" aria-labelledby="events-title">
            <h2 className="panel-title" id="events-title">
              Движение
            </h2>
            {p.events.length === 0 ? (
              <p className="muted">Записей о движении нет.</p>
            ) : (
              <div className="table-wrap">
                <table className="data-table" aria-label="История движения">
                  <thead>
                    <tr>
                      <th scope="col">Дата</th>
                      <th scope="col">Событие</th>
                      <th scope="col">Приказ</th>
                      <th scope="col">Из класса</th>
                      <th scope="col">В класс</th>
                      <th scope="col">Причина, откуда / куда</th>
                      {mayMove ? (
                        <th scope="col">
                          <span className="visually-hidden">Действия</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {p.events.map((e) => {
                      const Text = e.cancelled ? 's' : 'span';
                      return (
                        <tr key={e.id} className={e.cancelled ? 'row-cancelled' : undefined}>
                          <td className="nowrap">
                            <Text>{formatIsoDate(e.date)}</Text>
                          </td>
                          <td>
                            <Text>{e.kindLabel}</Text>
                            {e.cancelled ? <span className="tag">внесено ошибочно</span> : null}
                          </td>
                          <td className="nowrap">
                            <Text>{e.order ? `№ ${e.order}${e.orderDate ? ` от ${formatIsoDate(e.orderDate)}` : ''}` : ''}</Text>
                          </td>
                          <td>
                            <Text>{e.fromClass ?? ''}</Text>
                          </td>
                          <td>
                            <Text>{e.toClass ?? ''}</Text>
                          </td>
                          <td>
                            <Text>{[e.reason, e.place, e.note].filter(Boolean).join('; ')}</Text>
                          </td>
                          {mayMove ? (
                            <td>
                              {e.id === standing?.id ? (
                                <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => setEditing({ kind: 'cancel', event: e })}
                                  aria-label={`Отменить ошибочную запись: ${e.kindLabel} от ${formatIsoDate(e.date)}`}>
                                  Отменить ошибочную запись…
                                </button>
                              ) : null}
                            </td>
                          ) : null}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          {editing?.kind === 'data' ? <EditPupilDialog pupil={p} onClose={() => setEditing(null)} onDone={() => done('Анкетные данные сохранены.')} /> : null}
          {editing?.kind === 'transfer' ? <TransferDialog pupil={p} onClose={() => setEditing(null)} onDone={done} /> : null}
          {editing?.kind === 'leave' ? <LeaveDialog pupil={p} onClose={() => setEditing(null)} onDone={done} /> : null}
          {editing?.kind === 'cancel' ? <CancelEventDialog event={editing.event} onClose={() => setEditing(null)} onDone={done} /> : null}
          {editing?.kind === 'addGuardian' ? <AddGuardianDialog pupil={p} onClose={() => setEditing(null)} onDone={done} /> : null}
          {editing?.kind === 'editGuardian' ? (
            <EditGuardianDialog guardian={editing.guardian} onClose={() => setEditing(null)} onDone={done} />
          ) : null}
          {editing?.kind === 'unlinkGuardian' ? (
            <ConfirmDialog
              title="Исключение представителя"
              text={
                <>
                  Убрать <strong>{fullName(editing.guardian)}</strong> ({editing.guardian.kinship}) из карточки {fullName(p)}? Сам представитель
                  останется в реестре, если он указан у других детей.
                </>
              }
              confirmLabel="Убрать"
              danger
              onClose={() => setEditing(null)}
              onConfirm={async () => {
                await api.invoke('guardians.unlink', { pupilId: p.id, guardianId: editing.guardian.id });
                done(`${fullName(editing.guardian)} больше не указан(а) в карточке.`);
              }}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

function EditPupilDialog({ pupil, onClose, onDone }: { pupil: Card; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [values, setValues] = useState<PersonValues>(() => personValuesFrom(pupil));
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = () => {
    const problems = pupilProblems(values, 'data');
    if (problems) return setErrors({ message: 'Проверьте отмеченные поля.', fields: problems });
    void run(async () => {
      await api.invoke('pupils.update', { id: pupil.id, data: pupilInputOf(values) });
      onDone();
    });
  };
  return (
    <Dialog title={`Анкета: ${fullName(pupil)}`} onClose={onClose} closable={!busy} className="dialog-wide">
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        <PersonFields kind="pupil" value={values} onValue={setValues} errors={fieldsUnder(errors, 'data')} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Сохранить" />
      </Form>
    </Dialog>
  );
}

const KINSHIP_OPTIONS: { value: '' | Kinship; label: string }[] = [{ value: '' as const, label: '— выберите —' }, ...KINSHIPS.map((k) => ({ value: k, label: k }))];
type FoundGuardian = Result<'guardians.search'>['rows'][number];

/** Adds a guardian: an existing one (a sibling's parent, found by surname) or a new one. */
function AddGuardianDialog({ pupil, onClose, onDone }: { pupil: Card; onClose(): void; onDone(message: string): void }) {
  const api = useApi();
  const [query, setQuery] = useState(pupil.lastName);
  const settled = useDebounced(query.trim());
  const found = useLoad(() => (settled ? api.invoke('guardians.search', { query: settled }) : Promise.resolve({ rows: [] as FoundGuardian[] })), settled);
  const [chosen, setChosen] = useState<FoundGuardian | null>(null);
  const [isNew, setIsNew] = useState(false);
  const [values, setValues] = useState<PersonValues>({ ...EMPTY_PERSON, lastName: pupil.lastName });
  const [kinship, setKinship] = useState<'' | Kinship>('');
  const [authorityDoc, setAuthorityDoc] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const needsAuthority = kinship !== '' && kinship !== 'мать' && kinship !== 'отец';
  const linked = new Set(pupil.guardians.map((g) => g.id));

  const submit = () => {
    if (!chosen && !isNew) return setErrors({ message: 'Выберите найденного представителя или нажмите «Новый представитель».', fields: {} });
    const local = {
      ...(isNew ? guardianProblems(values, 'guardian') : null),
      ...clientErrors({
        kinship: !kinship && 'выберите степень родства',
        authorityDoc: needsAuthority && !authorityDoc.trim() && 'для опекуна, попечителя и иного представителя укажите документ о полномочиях',
      })?.fields,
    };
    if (Object.keys(local).length > 0 || !kinship) return setErrors({ message: 'Проверьте отмеченные поля.', fields: local });
    void run(async () => {
      await api.invoke('guardians.link', {
        pupilId: pupil.id,
        ...(chosen ? { guardianId: chosen.id } : { guardian: guardianInputOf(values) }),
        kinship,
        authorityDoc: needsAuthority ? authorityDoc.trim() : null,
      });
      onDone(`${chosen ? fullName(chosen) : fullName(values)} — ${kinship} — добавлен(а) в карточку.`);
    });
  };

  return (
    <Dialog title="Законный представитель" onClose={onClose} closable={!busy} className="dialog-wide">
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        {!isNew ? (
          <>
            <TextField label="Поиск среди представителей (фамилия)" value={query} onValue={(v) => { setQuery(v); setChosen(null); }} first autoComplete="off"
              hint="У братьев и сестёр общие родители: найдите и выберите, чтобы не заводить второй раз." />
            {found.data && found.data.rows.length > 0 ? (
              <ul className="match-list" aria-label="Найденные представители">
                {found.data.rows.map((g) => (
                  <li key={g.id}>
                    <label>
                      <input type="radio" name="guardian" checked={chosen?.id === g.id} disabled={linked.has(g.id)} onChange={() => setChosen(g)} />{' '}
                      {fullName(g)}
                      {g.phone ? `, ${formatPhone(g.phone)}` : ''}
                      {g.children.length ? <span className="muted"> — дети: {g.children.join(', ')}</span> : null}
                      {linked.has(g.id) ? <span className="tag">уже в карточке</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            ) : settled && !found.loading ? (
              <p className="muted small">Никого не нашлось.</p>
            ) : null}
            <div className="button-row">
              <button type="button" className="btn" onClick={() => { setIsNew(true); setChosen(null); }}>
                Новый представитель
              </button>
            </div>
          </>
        ) : (
          <>
            <PersonFields kind="guardian" value={values} onValue={setValues} errors={fieldsUnder(errors, 'guardian')} />
            <div className="button-row">
              <button type="button" className="btn btn-small" onClick={() => setIsNew(false)}>
                Найти среди уже внесённых
              </button>
            </div>
          </>
        )}
        <div className="form-grid">
          <SelectField label="Степень родства" value={kinship} onValue={(v: '' | Kinship) => setKinship(v)} options={KINSHIP_OPTIONS} error={errors.fields.kinship} />
          {needsAuthority ? (
            <TextField label="Документ о полномочиях" value={authorityDoc} onValue={setAuthorityDoc} error={errors.fields.authorityDoc} autoComplete="off"
              hint="например: постановление об опеке № 123 от 01.02.2024" />
          ) : null}
        </div>
        <ErrorNotice error={found.error} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Добавить" />
      </Form>
    </Dialog>
  );
}

function EditGuardianDialog({ guardian, onClose, onDone }: { guardian: CardGuardian; onClose(): void; onDone(message: string): void }) {
  const api = useApi();
  const [values, setValues] = useState<PersonValues>(() => personValuesFrom(guardian));
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = () => {
    const problems = guardianProblems(values, 'data');
    if (problems) return setErrors({ message: 'Проверьте отмеченные поля.', fields: problems });
    void run(async () => {
      await api.invoke('guardians.update', { id: guardian.id, data: guardianInputOf(values) });
      onDone(`Данные представителя ${fullName(values)} сохранены (у всех его детей).`);
    });
  };
  return (
    <Dialog title={`Представитель: ${fullName(guardian)}`} onClose={onClose} closable={!busy} className="dialog-wide">
      <Form className="form" onSubmit={submit} onKeyDown={enterSubmits}>
        <PersonFields kind="guardian" value={values} onValue={setValues} errors={fieldsUnder(errors, 'data')} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Сохранить" />
      </Form>
    </Dialog>
  );
}
