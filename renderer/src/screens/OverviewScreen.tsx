import { useEffect, useState } from 'react';
import { roleMayCall, type DemoResult, type Overview } from '../../../common/api/contract';
import { useApi, useLoad, useSession } from '../api/context';
import { clientErrors, Dialog, DialogActions, ErrorNotice, Loading, Form, TextField, useSubmit, useToast } from '../components/ui';
import { countOf, formatIsoDate, formatNumber } from '../format';
import { useJob } from '../jobs';
import { sectionHref } from './Shell';

const COUNT_CARDS: readonly { key: keyof Overview['counts']; label: string }[] = [
  { key: 'pupils', label: 'Обучающиеся' },
  { key: 'classes', label: 'Классы' },
  { key: 'guardians', label: 'Законные представители' },
  { key: 'staff', label: 'Сотрудники' },
  { key: 'lessons', label: 'Уроки' },
  { key: 'marks', label: 'Отметки' },
  { key: 'users', label: 'Пользователи программы' },
];

const SCHOOL_ROWS: readonly { key: keyof Overview['school']; label: string }[] = [
  { key: 'name', label: 'Полное название' },
  { key: 'shortName', label: 'Краткое название' },
  { key: 'address', label: 'Адрес' },
  { key: 'directorName', label: 'Директор' },
  { key: 'phone', label: 'Телефон' },
  { key: 'email', label: 'Электронная почта' },
  { key: 'inn', label: 'ИНН' },
];

export function OverviewScreen() {
  const api = useApi();
  const { user, schoolName, setSchoolName } = useSession();
  const overview = useLoad(() => api.invoke('school.overview', {}));
  // The header follows the school card (the demo school, for one, brings its own name).
  const loadedName = overview.data?.school.name;
  useEffect(() => {
    if (loadedName && loadedName !== schoolName) setSchoolName(loadedName);
  }, [loadedName, schoolName, setSchoolName]);
  const [demoOpen, setDemoOpen] = useState(false);
  const mayFillDemo = roleMayCall('demo.generate', user.role);
  const isAdmin = roleMayCall('users.create', user.role);

  if (!overview.data) {
    return overview.error ? <ErrorNotice error={overview.error} /> : <Loading />;
  }
  const { school, counts, currentYear } = overview.data;
  const emptyRegister = counts.pupils === 0 && counts.classes === 0 && counts.guardians === 0;
  const schoolIncomplete = !school.address || !school.directorName || !school.inn;
  // The demo fills only an empty register (no year, no pupils): elsewhere the button would be refused.
  const demoPossible = mayFillDemo && emptyRegister && !currentYear;

  return (
    <div className="stack">
      <div className="toolbar">
        <p className="muted toolbar-text">
          {currentYear
            ? `Текущий учебный год: ${currentYear.name} (${formatIsoDate(currentYear.startsOn)} — ${formatIsoDate(currentYear.endsOn)})${currentYear.closed ? ', закрыт' : ''}.`
            : 'Учебный год ещё не открыт.'}
        </p>
        <div className="button-row">
          <button type="button" className="btn" onClick={overview.reload} disabled={overview.loading}>
            Обновить
          </button>
          {demoPossible ? (
            <button type="button" className="btn btn-primary" onClick={() => setDemoOpen(true)}>
              Заполнить демонстрационной школой…
            </button>
          ) : null}
        </div>
      </div>

      {emptyRegister ? (
        <section className="panel panel-accent" aria-labelledby="next-steps">
          <h2 id="next-steps" className="panel-title">
            Реестр пока пуст
          </h2>
          {isAdmin ? (
            <>
              <p>Что сделать дальше:</p>
              <ol className="steps">
                {schoolIncomplete ? (
                  <li>
                    Заполните сведения о школе (адрес, ФИО директора, ИНН) в разделе <a href={sectionHref('settings')}>«Настройки»</a> — они
                    попадают в печатные документы.
                  </li>
                ) : null}
                {counts.users <= 1 ? (
                  <li>
                    Создайте учётные записи секретаря, архивариуса и директора в разделе <a href={sectionHref('users')}>«Пользователи»</a>.
                  </li>
                ) : null}
                <li>
                  Откройте учебный год: классы, классные руководители и обучающиеся (раздел «Учебный год» появится в следующей версии).
                </li>
                {demoPossible ? (
                  <li>
                    Чтобы познакомиться с программой, нажмите «Заполнить демонстрационной школой…»: программа создаст вымышленную школу с
                    классами, обучающимися и отметками. Для работы с настоящими данными используйте отдельную базу.
                  </li>
                ) : null}
              </ol>
            </>
          ) : (
            <p>
              В программе ещё нет обучающихся и классов. Их внесёт администратор при открытии учебного года; до тех пор разделы будут
              пустыми.
            </p>
          )}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="counts-title">
        <h2 id="counts-title" className="panel-title">
          Сведения в базе
        </h2>
        <dl className="counts">
          {COUNT_CARDS.map((card) => (
            <div className="count-card" key={card.key}>
              <dt>{card.label}</dt>
              <dd>{formatNumber(counts[card.key])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="panel" aria-labelledby="school-title">
        <h2 id="school-title" className="panel-title">
          Карточка школы
        </h2>
        <dl className="kv">
          {SCHOOL_ROWS.map((row) => (
            <div className="kv-row" key={row.key}>
              <dt>{row.label}</dt>
              <dd>{school[row.key] ? school[row.key] : <span className="muted">не указано</span>}</dd>
            </div>
          ))}
        </dl>
        {schoolIncomplete && isAdmin ? (
          <p className="muted small">
            Пустые поля можно заполнить в разделе <a href={sectionHref('settings')}>«Настройки»</a>.
          </p>
        ) : null}
      </section>

      {demoOpen ? (
        <DemoDialog
          onClose={() => setDemoOpen(false)}
          onDone={() => {
            setDemoOpen(false);
            overview.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function DemoDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [pupils, setPupils] = useState('600');
  const [seed, setSeed] = useState('1');
  const [year, setYear] = useState('2025/2026');
  const { busy, errors, setErrors, run } = useSubmit();
  const job = useJob();

  const submit = () => {
    const n = Number(pupils);
    const s = Number(seed);
    const local = clientErrors({
      pupils: (!Number.isInteger(n) || n < 10 || n > 3000) && 'целое число от 10 до 3000',
      seed: (!Number.isInteger(s) || s < 0 || s > 2 ** 31 - 1) && 'целое неотрицательное число',
      year: !/^\d{4}\/\d{4}$/.test(year.trim()) && 'учебный год в виде 2025/2026',
    });
    if (local) return setErrors(local);
    const jobId = job.start();
    void run(async () => {
      let result: DemoResult;
      try {
        result = await api.invoke('demo.generate', { pupils: n, seed: s, year: year.trim(), jobId });
      } finally {
        job.finish();
      }
      toast(`Демонстрационная школа создана за ${result.seconds} с: ${countOf(result.counts.pupils ?? n, ['обучающийся', 'обучающихся', 'обучающихся'])}.`);
      onDone();
    });
  };

  const running = busy && job.running;
  const { progress, percent, cancelling, cancel } = job;

  return (
    <Dialog title="Заполнение демонстрационной школой" onClose={onClose} closable={!busy}>
      <Form className="form" onSubmit={submit}>
        <p className="dialog-text">
          Программа создаст вымышленную школу: классы, обучающихся, родителей, учителей, уроки и отметки за учебный год. Одно и то же зерно
          даёт одну и ту же школу.
        </p>
        <div className="form-grid">
          <TextField label="Число обучающихся" inputMode="numeric" value={pupils} onValue={setPupils} error={errors.fields.pupils} first
            disabled={busy} hint="От 10 до 3000." />
          <TextField label="Зерно" inputMode="numeric" value={seed} onValue={setSeed} error={errors.fields.seed} disabled={busy}
            hint="Любое целое число." />
          <TextField label="Учебный год" value={year} onValue={setYear} error={errors.fields.year} disabled={busy} hint="Например, 2025/2026." />
        </div>
        {running ? (
          <div className="progress-block">
            <div className="progress-label" id="demo-progress-label">
              {cancelling ? 'Отмена…' : progress ? progress.stage : 'Подготовка…'}
              {percent !== null ? ` — ${percent}%` : ''}
            </div>
            <progress
              className="progress"
              aria-labelledby="demo-progress-label"
              max={100}
              value={percent ?? undefined}
            />
            <p className="muted small">Пока идёт заполнение, закрыть окно нельзя. Чтобы прервать, нажмите «Отменить»: данные не изменятся.</p>
          </div>
        ) : null}
        <ErrorNotice error={job.cancelError} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <DialogActions hint={!busy}>
          {running ? (
            <button type="button" className="btn btn-danger" onClick={cancel} disabled={cancelling}>
              Отменить
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                Закрыть
              </button>
              <button type="submit" className="btn btn-primary" disabled={busy}>
                Заполнить
              </button>
            </>
          )}
        </DialogActions>
      </Form>
    </Dialog>
  );
}
