import { useMemo, useState } from 'react';
import type { VolumeRow } from '../../../../common/api/archive-contract';
import { useApi, useLoad } from '../../api/context';
import { ConfirmDialog, ErrorNotice, Form, Notice, TextField, clientErrors, useSubmit, useToast } from '../../components/ui';
import { useObjectUrl } from '../../files';
import { countOf, formatIsoDate } from '../../format';
import { useJob } from '../../jobs';
import { todayIso } from '../contingent/common';
import { JobProgressView, PdfFrame, pagesText, saveFile, yearsText } from './shared';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Act {
  asOf: string;
  fileName: string;
  pages: number;
  base64: string;
  url: string;
  volumes: VolumeRow[];
}

/**
 * «Уничтожение»: the act of the volumes whose term has passed by a date (printed for the
 * director's approval), then, once approved, the volumes marked destroyed by the act's number
 * and date (their files are removed; the register keeps the entries).
 */
export function DestructionPanel({ version, onDestroyed }: { version: number; onDestroyed(): void }) {
  const api = useApi();
  const toast = useToast();
  const [asOf, setAsOf] = useState(todayIso);
  const [act, setAct] = useState<Act | null>(null);
  const [actNumber, setActNumber] = useState('');
  const [actDate, setActDate] = useState(todayIso);
  const [confirming, setConfirming] = useState(false);
  const printing = useSubmit();
  const marking = useSubmit();
  const job = useJob();
  const makeUrl = useObjectUrl();
  const register = useLoad(() => api.invoke('archive.list', { all: false }), String(version));
  const validDay = ISO_DAY.test(asOf);
  // A hint before the act is printed: the act itself decides which volumes it lists.
  const due = useMemo(
    () => (validDay ? (register.data?.rows ?? []).filter((r) => r.status === 'sealed' && r.destroyAfter < asOf) : []),
    [register.data, asOf, validDay],
  );

  // The first day an act will have something in it: the day after the earliest end of a term.
  const firstDue = useMemo(() => {
    const ends = (register.data?.rows ?? []).filter((r) => r.status === 'sealed').map((r) => r.destroyAfter);
    if (ends.length === 0) return null;
    const earliest = ends.reduce((a, b) => (a < b ? a : b));
    return new Date(Date.parse(`${earliest}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }, [register.data]);

  const printAct = () => {
    const local = clientErrors({ asOf: !validDay && 'укажите дату полностью: день, месяц, год' });
    if (local) return printing.setErrors(local);
    setAct(null);
    void printing.run(async () => {
      try {
        const result = await api.invoke('archive.destructionAct', { asOf, jobId: job.start() });
        const rows = (await api.invoke('archive.list', { all: false })).rows;
        const listed = new Set(result.volumes);
        setAct({
          asOf,
          fileName: result.fileName,
          pages: result.pages,
          base64: result.pdfBase64,
          url: makeUrl(result.pdfBase64, 'application/pdf'),
          volumes: rows.filter((r) => listed.has(r.volumeId)),
        });
        // Approved today, as a rule; the date of the approval cannot be in the future.
        setActDate(todayIso());
      } finally {
        job.finish();
      }
    });
  };

  const askToMark = () => {
    const local = clientErrors({
      actNumber: actNumber.trim() === '' && 'укажите номер утверждённого акта',
      actDate: !ISO_DAY.test(actDate) && 'укажите дату акта',
    });
    if (local) return marking.setErrors(local);
    marking.setErrors({ message: null, fields: {} });
    setConfirming(true);
  };

  const mark = async () => {
    if (!act) return;
    const result = await api.invoke('archive.destroy', {
      volumeIds: act.volumes.map((v) => v.volumeId),
      actNumber: actNumber.trim(),
      actDate,
    });
    setConfirming(false);
    setAct(null);
    setActNumber('');
    toast(`По акту № ${actNumber.trim()} уничтожено ${countOf(result.destroyed, ['дело', 'дела', 'дел'])}`);
    onDestroyed();
  };

  return (
    <div className="stack">
      <p className="muted">
        Когда срок хранения дел истёк, составляется акт о выделении к уничтожению документов, не подлежащих хранению. Акт утверждает директор; только
        после этого дела отмечаются уничтоженными, а их электронные копии удаляются. Записи в описи остаются.
      </p>
      <Form className="form form-inline" onSubmit={printAct} aria-label="Акт о выделении к уничтожению">
        <TextField
          label="Срок истёк на дату"
          type="date"
          value={asOf}
          onValue={(v) => {
            setAsOf(v);
            setAct(null);
          }}
          error={printing.errors.fields.asOf}
          hint={
            validDay && register.data
              ? due.length === 0
                ? `Дел с истёкшим сроком хранения нет.${firstDue ? ` Первые дела можно будет включить в акт с ${formatIsoDate(firstDue)}.` : ''}`
                : `Срок хранения истёк: ${countOf(due.length, ['дело', 'дела', 'дел'])}.`
              : undefined
          }
          fieldClassName="field-narrow"
          disabled={printing.busy}
          first
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={printing.busy} aria-busy={printing.busy || undefined}>
            {printing.busy ? 'Печатаю акт…' : 'Сформировать акт'}
          </button>
        </div>
      </Form>
      <JobProgressView job={job} idPrefix="archive-act" waiting="Печать акта…" />
      <ErrorNotice error={register.error ?? job.cancelError} />
      <ErrorNotice>{printing.errors.message}</ErrorNotice>

      {act ? (
        <section className="panel" aria-labelledby="archive-act-title" data-testid="archive-act">
          <h2 className="panel-title" id="archive-act-title">
            Акт на {formatIsoDate(act.asOf)}: {countOf(act.volumes.length, ['дело', 'дела', 'дел'])} к уничтожению
          </h2>
          {act.volumes.length === 0 ? (
            <Notice>На эту дату нет дел с истёкшим сроком хранения: акт пустой, уничтожать нечего.</Notice>
          ) : (
            <ul className="archive-act-list">
              {act.volumes.map((v) => (
                <li key={v.volumeId}>
                  № {v.archiveNo} — {v.title} (срок {yearsText(v.retentionYears)}, хранить до {formatIsoDate(v.destroyAfter)})
                </li>
              ))}
            </ul>
          )}
          <div className="button-row">
            <button type="button" className="btn" onClick={() => saveFile(act.base64, act.fileName)}>
              Сохранить акт…
            </button>
            <span className="muted small">
              «{act.fileName}», {pagesText(act.pages)}
            </span>
          </div>
          <PdfFrame url={act.url} title={`Акт о выделении к уничтожению на ${formatIsoDate(act.asOf)}`} />
          {act.volumes.length > 0 && act.asOf > todayIso() ? (
            <Notice>
              Акт составлен на будущую дату — для планирования. Отметить дела уничтоженными можно, когда их срок хранения истечёт и директор утвердит
              акт: тогда сформируйте акт заново на дату утверждения.
            </Notice>
          ) : null}
          {act.volumes.length > 0 && act.asOf <= todayIso() ? (
            <Form className="form form-inline" onSubmit={askToMark} aria-label="Уничтожение по утверждённому акту">
              <TextField
                label="Номер утверждённого акта"
                value={actNumber}
                onValue={setActNumber}
                error={marking.errors.fields.actNumber}
                autoComplete="off"
                fieldClassName="field-narrow"
              />
              <TextField
                label="Дата утверждения"
                type="date"
                value={actDate}
                max={todayIso()}
                onValue={setActDate}
                error={marking.errors.fields.actDate}
                fieldClassName="field-narrow"
              />
              <div className="form-actions">
                <button type="submit" className="btn btn-danger">
                  Отметить уничтоженными…
                </button>
              </div>
            </Form>
          ) : null}
          <ErrorNotice>{marking.errors.message}</ErrorNotice>
        </section>
      ) : null}

      {confirming && act ? (
        <ConfirmDialog
          title="Отметить дела уничтоженными"
          danger
          confirmLabel={`Уничтожить ${countOf(act.volumes.length, ['дело', 'дела', 'дел'])}`}
          onClose={() => setConfirming(false)}
          onConfirm={mark}
          text={
            <>
              <p>
                По акту № {actNumber.trim()} от {formatIsoDate(actDate)} будут отмечены уничтоженными, а их электронные копии удалены без возможности
                восстановления:
              </p>
              <ul className="archive-act-list">
                {act.volumes.map((v) => (
                  <li key={v.volumeId}>
                    № {v.archiveNo} — {v.title}
                  </li>
                ))}
              </ul>
              <p>Продолжайте, только если директор утвердил акт.</p>
            </>
          }
        />
      ) : null}
    </div>
  );
}
