import { useId, useState } from 'react';
import type { ConsentFamily, ConsentPurposeState, ConsentSubject, ConsentWithdrawResult } from '../../../../common/api/consents-contract';
import {
  CONSENT_PURPOSE_LABELS,
  CONSENT_SUBJECT,
  DESTRUCTION_DAYS,
  DESTRUCTIBLE_PURPOSES,
  SCAN_MAX_BYTES,
  SCAN_MIME_TYPES,
  type ConsentPurpose,
} from '../../../../common/api/consents';
import { useApi, useLoad } from '../../api/context';
import {
  clientErrors,
  Dialog,
  DialogActions,
  ErrorNotice,
  Form,
  Notice,
  SelectField,
  SubmitActions,
  TextField,
  useSubmit,
  useToast,
} from '../../components/ui';
import { formatIsoDate } from '../../format';
import { enterSubmits, todayIso } from '../contingent/common';
import { capitalize, megabytes, readBase64, statusLabel } from './shared';

/** One consent of the family table: whose data (pupil or a guardian) and the decision in force. */
export interface PurposeLine {
  subject: ConsentSubject;
  entry: ConsentPurposeState;
}

type ScanMime = (typeof SCAN_MIME_TYPES)[number];

/** The browser may leave `type` empty for a file: fall back on its extension. */
function scanMime(file: File): ScanMime | null {
  const known = SCAN_MIME_TYPES.find((m) => m === file.type);
  if (known) return known;
  const ext = file.name.toLowerCase().split('.').pop();
  if (ext === 'pdf') return 'application/pdf';
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  return null;
}

const DECISIONS: readonly { value: 'given' | 'refused'; label: string }[] = [
  { value: 'given', label: 'согласие дано' },
  { value: 'refused', label: 'отказ' },
];

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

function subjectText(line: PurposeLine): string {
  return line.subject.kind === 'pupil' ? `${line.subject.name} (обучающийся)` : `${line.subject.name} (${line.subject.kinship ?? 'представитель'})`;
}

/* ------------------------------------------------------------------ record */

/**
 * «Записать согласие…»: a paper consent (or refusal) the family handed in, with who signed,
 * the distribution categories, and the scan if there is one.
 */
export function RecordDialog({ family, line, onClose, onDone }: { family: ConsentFamily; line: PurposeLine; onClose(): void; onDone(text: string): void }) {
  const api = useApi();
  const purpose: ConsentPurpose = line.entry.purpose;
  const aboutPupil = CONSENT_SUBJECT[purpose] === 'pupil';
  const guardians = family.subjects.filter((s) => s.kind === 'guardian' && s.guardianId !== null);
  const templates = useLoad(() => api.invoke('consentTemplates.list', {}));
  const current = templates.data?.templates.find((t) => t.purpose === purpose && t.current) ?? null;

  const [status, setStatus] = useState<'given' | 'refused'>('given');
  const [date, setDate] = useState(todayIso());
  const [signer, setSigner] = useState(guardians[0]?.guardianId ? String(guardians[0].guardianId) : '');
  const [pupilSigned, setPupilSigned] = useState(false);
  const [categories, setCategories] = useState<string[]>(line.entry.categories ?? []);
  const [scan, setScan] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const scanId = useId();

  const showCategories = purpose === 'distribution' && status === 'given';
  const showPupilSigns = aboutPupil && family.pupilSigns;
  const templateCategories = current?.categories ?? [];

  const submit = () => {
    const mime = scan ? scanMime(scan) : null;
    const local = clientErrors({
      date: !isDay(date) ? 'укажите дату решения' : date > todayIso() ? 'дата решения не может быть в будущем' : null,
      // An adult pupil may sign alone; a minor's consent is signed by a guardian.
      signedByGuardianId: aboutPupil && status === 'given' && !signer && !(family.age >= 18 && pupilSigned) ? 'выберите представителя, подписавшего согласие' : null,
      categories: showCategories && categories.length === 0 ? 'отметьте хотя бы одну категорию или запишите отказ' : null,
      scan: scan && !mime ? 'допускаются только PDF, JPEG или PNG' : scan && scan.size > SCAN_MAX_BYTES ? `файл больше ${megabytes(SCAN_MAX_BYTES)}` : null,
    });
    if (local) {
      setErrors(local);
      return;
    }
    void run(async () => {
      const scanParam = scan && mime ? { fileName: scan.name, mime, contentBase64: await readBase64(scan) } : undefined;
      const result = await api.invoke('consents.record', {
        purpose,
        pupilId: family.pupilId,
        ...(line.subject.kind === 'guardian' && line.subject.guardianId !== null ? { guardianId: line.subject.guardianId } : {}),
        status,
        date,
        ...(current ? { templateVersion: current.version } : {}),
        ...(aboutPupil && signer ? { signedByGuardianId: Number(signer) } : {}),
        ...(showPupilSigns ? { signedByPupil: pupilSigned } : {}),
        ...(showCategories ? { categories } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(scanParam ? { scan: scanParam } : {}),
      });
      const word = status === 'given' ? 'Согласие записано' : 'Отказ записан';
      onDone(result.revokedCodes > 0 ? `${word}; отозвано кодов доступа: ${result.revokedCodes}` : word);
    });
  };

  return (
    <Dialog title="Запись согласия" onClose={onClose} closable={!busy} className="dialog-wide">
      <Form onSubmit={submit} onKeyDown={enterSubmits} className="form">
        <p className="dialog-text">
          <strong>{capitalize(CONSENT_PURPOSE_LABELS[purpose])}</strong> — {subjectText(line)}. Сейчас: {statusLabel(line.entry.status)}
          {line.entry.decidedOn ? ` с ${formatIsoDate(line.entry.decidedOn)}` : ''}.{' '}
          {current ? `Текст согласия: редакция № ${current.version}.` : templates.data ? 'Текст согласия ещё не утверждён администратором.' : ''}
        </p>
        <div className="form-grid">
          <SelectField<'given' | 'refused'>
            label="Решение"
            value={status}
            onValue={setStatus}
            first
            options={DECISIONS}
            error={errors.fields.status}
          />
          <TextField label="Дата решения" type="date" value={date} onValue={setDate} max={todayIso()} error={errors.fields.date} />
          {aboutPupil ? (
            <SelectField
              label="Подписал представитель"
              value={signer}
              onValue={setSigner}
              options={[
                { value: '', label: guardians.length ? '— не указан —' : 'у обучающегося нет представителей' },
                ...guardians.map((g) => ({ value: String(g.guardianId), label: `${g.name}${g.kinship ? ` (${g.kinship})` : ''}` })),
              ]}
              error={errors.fields.signedByGuardianId}
            />
          ) : (
            <div className="field">
              <span className="field-label-static">Подписывает</span>
              <span>{line.subject.name} — сам представитель</span>
            </div>
          )}
        </div>
        {showPupilSigns ? (
          <label className="checkbox-field consents-checkbox">
            <input type="checkbox" checked={pupilSigned} onChange={(e) => setPupilSigned(e.target.checked)} /> подписано обучающимся (ему {family.age} лет)
          </label>
        ) : null}
        {showCategories ? (
          <fieldset className="consents-categories">
            <legend>Категории данных, разрешённые для распространения</legend>
            {templateCategories.length === 0 ? (
              <p className="muted">В тексте согласия нет категорий: сначала администратор утверждает текст на вкладке «Тексты согласий».</p>
            ) : (
              templateCategories.map((category) => (
                <label key={category} className="checkbox-line">
                  <input
                    type="checkbox"
                    checked={categories.includes(category)}
                    onChange={(e) =>
                      setCategories((list) => (e.target.checked ? [...list.filter((c) => c !== category), category] : list.filter((c) => c !== category)))
                    }
                  />{' '}
                  {category}
                </label>
              ))
            )}
            {errors.fields.categories ? <div className="field-error">{errors.fields.categories}</div> : null}
          </fieldset>
        ) : null}
        <div className={`field${errors.fields.scan ? ' field-invalid' : ''}`}>
          <label htmlFor={scanId}>Скан подписанного согласия (необязательно)</label>
          <input
            id={scanId}
            type="file"
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            disabled={busy}
            onChange={(e) => setScan(e.target.files?.[0] ?? null)}
            aria-describedby={`${scanId}-hint`}
          />
          <div className="field-hint" id={`${scanId}-hint`}>
            PDF, JPEG или PNG, не больше {megabytes(SCAN_MAX_BYTES)}.{scan ? ` Выбран: ${scan.name} (${megabytes(scan.size)}).` : ''}
          </div>
          {errors.fields.scan ? <div className="field-error">{errors.fields.scan}</div> : null}
        </div>
        <TextField label="Примечание" value={note} onValue={setNote} maxLength={1000} autoComplete="off" error={errors.fields.note} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel={status === 'given' ? 'Записать согласие' : 'Записать отказ'} />
      </Form>
    </Dialog>
  );
}

/* ---------------------------------------------------------------- withdraw */

/** «Отозвать…»: the written withdrawal; shows the destruction deadline it starts. */
export function WithdrawDialog({ line, onClose, onDone }: { line: PurposeLine; onClose(): void; onDone(): void }) {
  const api = useApi();
  const toast = useToast();
  const [date, setDate] = useState(todayIso());
  const [note, setNote] = useState('');
  const [result, setResult] = useState<ConsentWithdrawResult | null>(null);
  const { busy, errors, setErrors, run } = useSubmit();
  const purpose = line.entry.purpose;
  const destructible = DESTRUCTIBLE_PURPOSES.includes(purpose);

  const submit = () => {
    const consentId = line.entry.consentId;
    if (consentId === null) return;
    const local = clientErrors({ date: !isDay(date) ? 'укажите дату отзыва' : date > todayIso() ? 'дата отзыва не может быть в будущем' : null });
    if (local) {
      setErrors(local);
      return;
    }
    void run(async () => {
      const done = await api.invoke('consents.withdraw', { consentId, date, ...(note.trim() ? { note: note.trim() } : {}) });
      setResult(done);
      toast('Отзыв согласия записан');
      onDone();
    });
  };

  if (result) {
    return (
      <Dialog title="Согласие отозвано" onClose={onClose}>
        <div className="dialog-text stack" data-testid="withdraw-result">
          <p>
            Отзыв согласия «{CONSENT_PURPOSE_LABELS[purpose]}» — {subjectText(line)} — записан.
          </p>
          {result.destroyDue ? (
            <Notice kind="warning">
              Данные нужно уничтожить не позднее <strong data-testid="destroy-due">{formatIsoDate(result.destroyDue)}</strong> и составить акт — вкладка «Срок
              уничтожения».
            </Notice>
          ) : (
            <p>Этот отзыв не требует уничтожения данных.</p>
          )}
          {result.revokedCodes > 0 ? <p>Отозвано кодов доступа: {result.revokedCodes}.</p> : null}
        </div>
        <DialogActions hint={false}>
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="">
            Готово
          </button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog title="Отзыв согласия" onClose={onClose} closable={!busy}>
      <Form onSubmit={submit} className="form">
        <p className="dialog-text">
          <strong>{capitalize(CONSENT_PURPOSE_LABELS[purpose])}</strong> — {subjectText(line)}, согласие от {formatIsoDate(line.entry.decidedOn)}.{' '}
          {destructible
            ? `Обработка прекращается; данные, которые больше не нужны, уничтожаются в течение ${DESTRUCTION_DAYS} дней с даты отзыва (ст. 21 ч. 5 152-ФЗ).`
            : purpose === 'electronic_results'
              ? 'Семья будет получать печатные выписки; действующие коды доступа представителя отзываются.'
              : ''}
        </p>
        <TextField label="Дата отзыва" type="date" value={date} onValue={setDate} max={todayIso()} first error={errors.fields.date} />
        <TextField label="Примечание" value={note} onValue={setNote} maxLength={1000} autoComplete="off" hint="Например, номер и дата заявления об отзыве." error={errors.fields.note} />
        <ErrorNotice>{errors.message}</ErrorNotice>
        <SubmitActions busy={busy} onCancel={onClose} submitLabel="Отозвать согласие" />
      </Form>
    </Dialog>
  );
}
