import { useId, useState } from 'react';
import { useApi, useLoad } from '../../api/context';
import { clientErrors, ConfirmDialog, ErrorNotice, Form, Loading, Notice, TextField, useSubmit, useToast } from '../../components/ui';
import { formatDateTime } from '../../format';

const MIN = 8;

const EXPLANATION =
  'Без парольной фразы резервную копию прочитать нельзя никому — ни вам, ни разработчикам. Если фраза забыта, все копии, сделанные с ней, ' +
  'потеряны. Запишите её и храните в сейфе отдельно от носителей.';

/**
 * «Парольная фраза»: the first set-up (with the plain warning and «Я понимаю…»), the change of
 * the phrase (the same key: older copies open with the new phrase), and the replacement of the
 * key when the phrase is lost. Copies are written without the phrase; it is asked for only to
 * read one (check, restore).
 */
export function PassphrasePanel({ onChanged }: { onChanged(): void }) {
  const api = useApi();
  const [version, setVersion] = useState(0);
  const key = useLoad(() => api.invoke('backup.keyStatus', {}), String(version));
  const [replacing, setReplacing] = useState(false);
  const changed = () => {
    setVersion((v) => v + 1);
    setReplacing(false);
    onChanged();
  };

  if (!key.data) return key.error ? <ErrorNotice error={key.error} /> : <Loading />;
  if (!key.data.configured) {
    return (
      <section className="panel" aria-labelledby="backup-key-setup">
        <h2 className="panel-title" id="backup-key-setup">
          Задать парольную фразу
        </h2>
        <NewKeyForm mode="setup" onDone={changed} />
      </section>
    );
  }
  return (
    <div className="stack">
      <Notice kind="success">
        Парольная фраза задана {formatDateTime(key.data.createdAt, false)}. Отпечаток ключа: <span className="mono">{key.data.fingerprint?.slice(0, 16)}</span>
      </Notice>
      <section className="panel" aria-labelledby="backup-key-change">
        <h2 className="panel-title" id="backup-key-change">
          Сменить парольную фразу
        </h2>
        <ChangeForm onDone={changed} />
      </section>
      <section className="panel" aria-labelledby="backup-key-lost">
        <h2 className="panel-title" id="backup-key-lost">
          Забыли фразу?
        </h2>
        {replacing ? (
          <NewKeyForm mode="replace" onDone={changed} onCancel={() => setReplacing(false)} />
        ) : (
          <>
            <p className="backup-explain">
              Вспомнить фразу нельзя: она нигде не хранится. Можно заменить ключ: новые копии будут открываться новой фразой, а{' '}
              <strong>все копии, сделанные раньше, останутся доступны только со старой фразой</strong>. Сразу после замены сделайте новую копию.
            </p>
            <div className="button-row">
              <button type="button" className="btn btn-danger-quiet" onClick={() => setReplacing(true)}>
                Заменить ключ…
              </button>
            </div>
          </>
        )}
      </section>
    </div>
  );
}

/** The set-up of the first key, or a new key in place of one whose phrase is lost. */
function NewKeyForm({ mode, onDone, onCancel }: { mode: 'setup' | 'replace'; onDone(): void; onCancel?: () => void }) {
  const api = useApi();
  const toast = useToast();
  const explainId = useId();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, errors, setErrors, run } = useSubmit();

  const save = async () => {
    const params = { passphrase, passphraseRepeat: repeat, understood: true as const };
    if (mode === 'setup') {
      await api.invoke('backup.setUpPassphrase', params);
      toast('Парольная фраза резервных копий задана.');
    } else {
      const done = await api.invoke('backup.replaceKey', params);
      toast(done.message);
    }
    setPassphrase('');
    setRepeat('');
    setUnderstood(false);
    onDone();
  };

  const submit = () => {
    const local = clientErrors({
      passphrase: passphrase.length < MIN && `не короче ${MIN} символов; лучше несколько слов`,
      passphraseRepeat: repeat !== passphrase && 'не совпадает с парольной фразой, введите её ещё раз',
      understood: !understood && 'отметьте, что поняли: без парольной фразы копии не открыть',
    });
    if (local) return setErrors(local);
    if (mode === 'replace') return setConfirming(true);
    void run(save);
  };

  return (
    <Form className="stack" onSubmit={submit} aria-label={mode === 'setup' ? 'Задать парольную фразу' : 'Заменить ключ'} aria-describedby={explainId}>
      <p className="backup-explain" id={explainId}>
        <strong>{EXPLANATION}</strong>
        {mode === 'replace' ? ' Копии, сделанные до замены, новой фразой не открываются.' : ''}
      </p>
      <div className="form form-two-columns">
        <TextField
          label={mode === 'setup' ? 'Парольная фраза' : 'Новая парольная фраза'}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onValue={setPassphrase}
          error={errors.fields.passphrase}
          hint={`Не короче ${MIN} символов. Лучше несколько слов, которые легко записать без ошибок.`}
        />
        <TextField label="Повторите парольную фразу" type="password" autoComplete="new-password" value={repeat} onValue={setRepeat} error={errors.fields.passphraseRepeat} />
      </div>
      <label className="checkbox-line">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> Я понимаю: без этой парольной фразы резервные копии не
        прочитать, восстановить её нельзя
      </label>
      {errors.fields.understood ? <div className="field-error">{errors.fields.understood}</div> : null}
      <ErrorNotice>{errors.message}</ErrorNotice>
      <div className="button-row">
        <button type="submit" className={`btn ${mode === 'setup' ? 'btn-primary' : 'btn-danger'}`} disabled={busy}>
          {mode === 'setup' ? 'Задать парольную фразу' : 'Заменить ключ'}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Отмена
          </button>
        ) : null}
      </div>
      {confirming ? (
        <ConfirmDialog
          title="Заменить ключ резервных копий?"
          text="Копии, сделанные раньше, откроются только со старой парольной фразой. Новые копии — только с новой."
          confirmLabel="Заменить ключ"
          danger
          onConfirm={async () => {
            await save();
            setConfirming(false);
          }}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </Form>
  );
}

/** A new phrase for the same key: every copy, older ones too, opens with the new phrase. */
function ChangeForm({ onDone }: { onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();

  const submit = () => {
    const local = clientErrors({
      currentPassphrase: current.length === 0 && 'введите действующую парольную фразу',
      newPassphrase: next.length < MIN && `не короче ${MIN} символов`,
      newPassphraseRepeat: repeat !== next && 'не совпадает с новой парольной фразой, введите её ещё раз',
    });
    if (local) return setErrors(local);
    void run(async () => {
      await api.invoke('backup.changePassphrase', { currentPassphrase: current, newPassphrase: next, newPassphraseRepeat: repeat });
      setCurrent('');
      setNext('');
      setRepeat('');
      toast('Парольная фраза изменена. Все копии, и прежние тоже, теперь открываются новой фразой.');
      onDone();
    });
  };

  return (
    <Form className="stack" onSubmit={submit} aria-label="Сменить парольную фразу">
      <p className="muted backup-explain">Ключ остаётся тем же. В этой программе все копии, и сделанные раньше, будут открываться новой фразой. Но копия, сделанная до смены, на другом компьютере (или командой backup verify) открывается только прежней фразой: храните и её, пока такие копии нужны.</p>
      <div className="form form-two-columns">
        <TextField
          label="Действующая парольная фраза"
          type="password"
          autoComplete="current-password"
          value={current}
          onValue={setCurrent}
          error={errors.fields.currentPassphrase}
          fieldClassName="span-2"
        />
        <TextField label="Новая парольная фраза" type="password" autoComplete="new-password" value={next} onValue={setNext} error={errors.fields.newPassphrase} />
        <TextField label="Повторите новую фразу" type="password" autoComplete="new-password" value={repeat} onValue={setRepeat} error={errors.fields.newPassphraseRepeat} />
      </div>
      <ErrorNotice>{errors.message}</ErrorNotice>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Сменить парольную фразу
        </button>
      </div>
    </Form>
  );
}
