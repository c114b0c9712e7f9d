import { useEffect, useRef, useState } from 'react';
import {
  VOLUME_KIND_LABELS,
  VOLUME_KINDS,
  type Draft,
  type VolumeDocument,
  type VolumeKind,
  type VolumeRow,
} from '../../../../common/api/archive-contract';
import { roleMayCall } from '../../../../common/api/contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { ErrorNotice, Form, Notice, SelectField, clientErrors, useSubmit, useToast } from '../../components/ui';
import { formatDateTime, formatIsoDate } from '../../format';
import { useObjectUrl } from '../../files';
import { useJob } from '../../jobs';
import { enterSubmits } from '../contingent/common';
import { JobProgressView, PdfFrame, pagesText, saveFile, sheetsText, shortHash, useYears, yearsText } from './shared';

const WHOLE_SCHOOL = '';

interface Preview {
  draft: Draft;
  url: string;
  base64: string;
  /** When the volume this draft would replace was sealed. */
  replacesSealedAt: string | null;
}

/**
 * «Печать»: a class journal or a summary ledger printed as a volume (cover, contents, document,
 * certification sheet), shown in the window, then sealed into the archive, saved or discarded.
 */
export function PrintPanel({ onSealed }: { onSealed(): void }) {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const { years, error: yearsError } = useYears();
  const settings = useLoad(() => api.invoke('settings.get', {}));
  const [kind, setKind] = useState<VolumeKind>('class_journal');
  const [chosenYear, setChosenYear] = useState('');
  const [classId, setClassId] = useState(WHOLE_SCHOOL);
  const [duplex, setDuplex] = useState<boolean | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [sealed, setSealed] = useState<VolumeRow | null>(null);
  const makeUrl = useObjectUrl();
  const job = useJob();
  const printing = useSubmit();
  const acting = useSubmit();
  const mayPrint = roleMayCall('archive.preview', user.role);
  // The keyboard user lands on the preview once it is there (Tab then reaches «Сдать в архив»).
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const shownDraft = preview?.draft.draftId;
  useEffect(() => {
    if (shownDraft) previewHeading.current?.focus();
  }, [shownDraft]);

  const year = years.find((y) => String(y.id) === chosenYear) ?? years[0];
  const structure = useLoad(
    () => (year ? api.invoke('years.get', { yearId: year.id }) : Promise.resolve(null)),
    String(year?.id ?? ''),
  );
  const classes = structure.data?.classes ?? [];
  const twoSided = duplex ?? settings.data?.duplexByDefault ?? false;
  const journal = kind === 'class_journal';
  // A class of another year (the year changed) counts as not chosen.
  const chosenClass = classes.some((c) => String(c.id) === classId) ? classId : WHOLE_SCHOOL;

  // A draft left in the window is discarded when the section is left (its file is in the data folder).
  const liveDraft = useRef<string | null>(null);
  useEffect(() => {
    liveDraft.current = preview?.draft.draftId ?? null;
  }, [preview]);
  useEffect(
    () => () => {
      const draftId = liveDraft.current;
      if (draftId) void api.invoke('archive.discardDraft', { draftId }).catch(() => undefined);
    },
    [api],
  );

  const documentOf = (): VolumeDocument | null => {
    if (!year) return null;
    if (journal) return chosenClass ? { kind: 'class_journal', classId: Number(chosenClass) } : null;
    return chosenClass ? { kind, yearId: year.id, classId: Number(chosenClass) } : { kind, yearId: year.id };
  };

  const submit = () => {
    const local = clientErrors({ year: !year && 'сначала откройте учебный год', classId: journal && !chosenClass && 'выберите класс' });
    if (local) return printing.setErrors(local);
    const document = documentOf();
    if (!document) return;
    const previous = preview?.draft.draftId;
    setSealed(null);
    void printing.run(async () => {
      try {
        if (previous) {
          setPreview(null);
          await api.invoke('archive.discardDraft', { draftId: previous });
        }
        const draft = await api.invoke('archive.preview', { document, asVolume: true, duplex: twoSided, jobId: job.start() });
        const file = await api.invoke('archive.file', { draftId: draft.draftId });
        let replacesSealedAt: string | null = null;
        if (draft.replaces !== null) {
          const list = await api.invoke('archive.list', { all: true });
          replacesSealedAt = list.rows.find((r) => r.volumeId === draft.replaces)?.sealedAt ?? null;
        }
        setPreview({ draft, base64: file.pdfBase64, url: makeUrl(file.pdfBase64, 'application/pdf'), replacesSealedAt });
      } finally {
        job.finish();
      }
    });
  };

  const seal = () => {
    if (!preview) return;
    void acting.run(async () => {
      const row = await api.invoke('archive.seal', { draftId: preview.draft.draftId });
      setPreview(null);
      setSealed(row);
      toast(`Дело № ${row.archiveNo} сдано в архив`);
      onSealed();
    });
  };

  const discard = () => {
    if (!preview) return;
    void acting.run(async () => {
      await api.invoke('archive.discardDraft', { draftId: preview.draft.draftId });
      setPreview(null);
      toast('Черновик удалён');
    });
  };

  if (!mayPrint) return <Notice>Печатает документы для архива архивариус или администратор.</Notice>;

  const busy = printing.busy || acting.busy;
  const errors = printing.errors;
  const yearOptions = years.map((y) => ({ value: String(y.id), label: `${y.name}${y.closed ? ' — закрыт' : ''}` }));
  const classOptions = [
    journal ? { value: WHOLE_SCHOOL, label: classes.length ? '— выберите класс —' : 'классов нет' } : { value: WHOLE_SCHOOL, label: 'Вся школа' },
    ...classes.map((c) => ({ value: String(c.id), label: `${c.label} (${c.pupils})` })),
  ];

  return (
    <div className="stack">
      <p className="muted">
        Печать классных журналов и сводных ведомостей для бумажного архива: дело с обложкой, оглавлением и листом-заверителем, где число листов
        записано цифрами и прописью. Перед сдачей в архив документ можно просмотреть; сданное дело не меняется — повторная печать даёт новую версию.
      </p>
      <Form className="stack" onSubmit={submit} onKeyDown={enterSubmits} aria-label="Печать документа">
        <div className="form-grid">
          <SelectField
            label="Документ"
            value={kind}
            onValue={(next) => setKind(next)}
            options={VOLUME_KINDS.map((k) => ({ value: k, label: VOLUME_KIND_LABELS[k] }))}
            disabled={busy}
            first
          />
          <SelectField
            label="Учебный год"
            value={year ? String(year.id) : ''}
            onValue={setChosenYear}
            options={yearOptions.length ? yearOptions : [{ value: '', label: 'учебных годов нет' }]}
            error={errors.fields.year ?? errors.fields.yearId}
            disabled={busy}
          />
          <SelectField
            label={journal ? 'Класс' : 'Класс или вся школа'}
            value={chosenClass}
            onValue={setClassId}
            options={classOptions}
            error={errors.fields.classId ?? errors.fields['document.classId']}
            disabled={busy}
          />
        </div>
        <label className="checkbox-line">
          <input type="checkbox" checked={twoSided} onChange={(e) => setDuplex(e.target.checked)} disabled={busy} /> Двусторонняя печать
          <span className="muted small">— листов вдвое меньше, чем страниц</span>
        </label>
        <ErrorNotice error={yearsError ?? structure.error ?? settings.error} />
        <ErrorNotice error={job.cancelError} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={printing.busy || undefined}>
            {printing.busy ? 'Печатаю…' : 'Сформировать'}
          </button>
          <span className="shortcut-hint">Enter — сформировать</span>
        </div>
        <JobProgressView job={job} idPrefix="archive-print" waiting="Печать: подготовка…" />
      </Form>

      {sealed ? <SealedNotice row={sealed} /> : null}

      {preview ? (
        <section className="panel archive-preview" aria-labelledby="archive-preview-title" data-testid="archive-preview">
          <h2 className="panel-title" id="archive-preview-title" tabIndex={-1} ref={previewHeading}>
            Предварительный просмотр: {preview.draft.title}
          </h2>
          <p data-testid="archive-preview-figures">
            {pagesText(preview.draft.pages)}, {sheetsText(preview.draft.sheets)} ({preview.draft.duplex ? 'двусторонняя печать' : 'односторонняя печать'}).{' '}
            <DraftNumber preview={preview} />
          </p>
          <ErrorNotice>{acting.errors.message}</ErrorNotice>
          <div className="button-row">
            <button type="button" className="btn btn-primary" onClick={seal} disabled={busy}>
              {acting.busy ? 'Подождите…' : 'Сдать в архив'}
            </button>
            <button type="button" className="btn" onClick={() => saveFile(preview.base64, preview.draft.fileName)} disabled={busy}>
              Сохранить PDF…
            </button>
            <button type="button" className="btn btn-danger-quiet" onClick={discard} disabled={busy}>
              Удалить черновик
            </button>
          </div>
          <PdfFrame url={preview.url} title={`PDF: ${preview.draft.title}`} />
        </section>
      ) : null}
    </div>
  );
}

function DraftNumber({ preview }: { preview: Preview }) {
  const { draft } = preview;
  if (!draft.archiveNo) return null;
  const replaces =
    draft.replaces !== null
      ? ` — заменит сданное${preview.replacesSealedAt ? ` ${formatIsoDate(preview.replacesSealedAt)}` : ' ранее'}`
      : '';
  return (
    <strong data-testid="archive-preview-number">
      Дело № {draft.archiveNo}, версия {draft.version}
      {replaces}
    </strong>
  );
}

function SealedNotice({ row }: { row: VolumeRow }) {
  return (
    <Notice kind="success">
      <span data-testid="archive-sealed">
        Сдано в архив: дело № {row.archiveNo}
        {row.version > 1 ? `, версия ${row.version}` : ''} — {row.title}; {sheetsText(row.sheets)}; SHA-256{' '}
        <code className="mono" title={row.sha256}>
          {shortHash(row.sha256)}
        </code>
        ; срок хранения {yearsText(row.retentionYears)}, хранить до {formatIsoDate(row.destroyAfter)} включительно. Сдано{' '}
        {formatDateTime(row.sealedAt, false)}.
      </span>
    </Notice>
  );
}
