import { useState } from 'react';
import { VOLUME_KIND_LABELS, VOLUME_KINDS, type VolumeKind } from '../../../../common/api/archive-contract';
import type { Result } from '../../../../common/api/contract';
import { useApi, useLoad } from '../../api/context';
import { ErrorNotice, Form, Notice, SelectField, clientErrors, useSubmit, useToast } from '../../components/ui';
import { countOf } from '../../format';
import { useJob } from '../../jobs';
import { enterSubmits } from '../contingent/common';
import { JobProgressView, sheetsText, useYears } from './shared';

type SealYearResult = Result<'archive.sealYear'>;

/**
 * «Печать года»: every class journal and summary ledger of a year printed and sealed in the
 * background. An interrupted run (cancelled, or the program closed) continues where it stopped.
 */
export function SealYearPanel({ onSealed }: { onSealed(): void }) {
  const api = useApi();
  const toast = useToast();
  const { years, error: yearsError } = useYears();
  const settings = useLoad(() => api.invoke('settings.get', {}));
  const [chosenYear, setChosenYear] = useState('');
  const [kinds, setKinds] = useState<ReadonlySet<VolumeKind>>(new Set(VOLUME_KINDS));
  const [duplex, setDuplex] = useState<boolean | null>(null);
  const [result, setResult] = useState<SealYearResult | null>(null);
  const { busy, errors, setErrors, run } = useSubmit();
  const job = useJob();
  const year = years.find((y) => String(y.id) === chosenYear) ?? years[0];
  const twoSided = duplex ?? settings.data?.duplexByDefault ?? false;

  const toggle = (kind: VolumeKind, on: boolean) =>
    setKinds((current) => {
      const next = new Set(current);
      if (on) next.add(kind);
      else next.delete(kind);
      return next;
    });

  const submit = () => {
    const local = clientErrors({ yearId: !year && 'сначала откройте учебный год', kinds: kinds.size === 0 && 'выберите хотя бы один вид документов' });
    if (local || !year) return setErrors(local ?? { message: 'Выберите учебный год.', fields: {} });
    setResult(null);
    void run(async () => {
      try {
        const done = await api.invoke('archive.sealYear', {
          yearId: year.id,
          kinds: VOLUME_KINDS.filter((k) => kinds.has(k)),
          duplex: twoSided,
          jobId: job.start(),
        });
        setResult(done);
        toast(`Печать года ${year.name}: сдано ${countOf(done.sealed.length, ['дело', 'дела', 'дел'])}`);
      } finally {
        job.finish();
        onSealed();
      }
    });
  };

  return (
    <div className="stack">
      <p className="muted">
        Все классные журналы и сводные ведомости выбранного года печатаются и сдаются в архив в фоне: можно работать в других разделах. Если печать
        прервать или она остановится из-за ошибки, повторный запуск продолжит с того места, где остановилась: уже сданные дела заново не печатаются.
      </p>
      <Form className="stack" onSubmit={submit} onKeyDown={enterSubmits} aria-label="Печать года">
        <div className="form-grid">
          <SelectField
            label="Учебный год"
            value={year ? String(year.id) : ''}
            onValue={setChosenYear}
            options={years.length ? years.map((y) => ({ value: String(y.id), label: `${y.name}${y.closed ? ' — закрыт' : ''}` })) : [{ value: '', label: 'учебных годов нет' }]}
            error={errors.fields.yearId}
            disabled={busy}
            first
          />
        </div>
        <fieldset className="archive-kinds" disabled={busy}>
          <legend>Что печатать</legend>
          {VOLUME_KINDS.map((kind) => (
            <label key={kind} className="checkbox-line">
              <input type="checkbox" checked={kinds.has(kind)} onChange={(e) => toggle(kind, e.target.checked)} />{' '}
              {kind === 'class_journal' ? 'Классные журналы всех классов' : VOLUME_KIND_LABELS[kind]}
            </label>
          ))}
          {errors.fields.kinds ? <div className="field-error">{errors.fields.kinds}</div> : null}
        </fieldset>
        <label className="checkbox-line">
          <input type="checkbox" checked={twoSided} onChange={(e) => setDuplex(e.target.checked)} disabled={busy} /> Двусторонняя печать
        </label>
        <ErrorNotice error={yearsError ?? settings.error} />
        <ErrorNotice error={job.cancelError} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Печатаю…' : 'Напечатать и сдать в архив'}
          </button>
        </div>
        <JobProgressView job={job} idPrefix="archive-year" waiting="Печать: подготовка…" />
      </Form>
      {result ? <SealYearReport result={result} /> : null}
    </div>
  );
}

function SealYearReport({ result }: { result: SealYearResult }) {
  const finished = result.sealed.length + result.alreadyDone;
  return (
    <section className="panel" aria-labelledby="archive-year-result" data-testid="archive-year-result">
      <h2 className="panel-title" id="archive-year-result">
        Итог: {finished} из {result.total}
      </h2>
      {result.failed.length === 0 && finished === result.total ? <Notice kind="success">Все документы года сданы в архив.</Notice> : null}
      <ul>
        <li>Сдано сейчас: {countOf(result.sealed.length, ['дело', 'дела', 'дел'])}.</li>
        {result.alreadyDone > 0 ? (
          <li>Уже были в архиве — сданы раньше, в том числе прерванным запуском; заново не печатались: {countOf(result.alreadyDone, ['дело', 'дела', 'дел'])}.</li>
        ) : null}
        {result.failed.length > 0 ? <li>Не удалось: {countOf(result.failed.length, ['документ', 'документа', 'документов'])} — см. ниже.</li> : null}
      </ul>
      {result.sealed.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Сданные дела</caption>
            <thead>
              <tr>
                <th scope="col">№ дела</th>
                <th scope="col">Заголовок</th>
                <th scope="col">Листов</th>
              </tr>
            </thead>
            <tbody>
              {result.sealed.map((row) => (
                <tr key={row.volumeId}>
                  <td className="nowrap">{row.archiveNo}</td>
                  <td>{row.title}</td>
                  <td title={sheetsText(row.sheets)}>{row.sheets}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {result.failed.length > 0 ? (
        <>
          <ErrorNotice>
            Эти документы не напечатаны. Исправьте причину и запустите печать года ещё раз: сданные дела не повторятся.
          </ErrorNotice>
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Документы, которые не удалось напечатать</caption>
              <thead>
                <tr>
                  <th scope="col">Документ</th>
                  <th scope="col">Причина</th>
                </tr>
              </thead>
              <tbody>
                {result.failed.map((f) => (
                  <tr key={f.title}>
                    <td>{f.title}</td>
                    <td>{f.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
