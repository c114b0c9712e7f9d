import { useState } from 'react';
import { VOLUME_KIND_LABELS, VOLUME_KINDS, type VolumeKind } from '../../../../common/api/archive-contract';
import type { Settings } from '../../../../common/api/schemas';
import { useApi } from '../../api/context';
import { clientErrors, ErrorNotice, Form, TextField, useSubmit, useToast } from '../../components/ui';

type ArchiveSettings = Pick<Settings, 'retentionYears' | 'countCoverAndCertification' | 'duplexByDefault' | 'archiveMirrorDir'>;
type Draft = { retention: Record<VolumeKind, string>; countCover: boolean; duplex: boolean; mirrorDir: string };

function draftOf(s: ArchiveSettings): Draft {
  const retention = {} as Record<VolumeKind, string>;
  for (const kind of VOLUME_KINDS) retention[kind] = String(s.retentionYears[kind]);
  return { retention, countCover: s.countCoverAndCertification, duplex: s.duplexByDefault, mirrorDir: s.archiveMirrorDir };
}

function sameDraft(a: Draft, b: Draft): boolean {
  return (
    VOLUME_KINDS.every((k) => a.retention[k].trim() === b.retention[k].trim()) &&
    a.countCover === b.countCover &&
    a.duplex === b.duplex &&
    a.mirrorDir.trim() === b.mirrorDir.trim()
  );
}

/** The archive part of «Настройки»: retention terms per kind, counting of sheets, duplex, the second copy. */
export function ArchiveSettingsForm({ initial, editable }: { initial: ArchiveSettings; editable: boolean }) {
  const api = useApi();
  const toast = useToast();
  const [saved, setSaved] = useState(() => draftOf(initial));
  const [draft, setDraft] = useState(saved);
  const { busy, errors, setErrors, run } = useSubmit();
  const changed = !sameDraft(draft, saved);

  const submit = () => {
    const checks: Record<string, string | false> = {};
    for (const kind of VOLUME_KINDS) {
      const text = draft.retention[kind].trim();
      checks[`retentionYears.${kind}`] = (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100) && 'целое число лет от 1 до 100';
    }
    checks.archiveMirrorDir = draft.mirrorDir.trim().length > 500 && 'не длиннее 500 символов';
    const local = clientErrors(checks);
    if (local) return setErrors(local);
    const retentionYears = {} as Settings['retentionYears'];
    for (const kind of VOLUME_KINDS) retentionYears[kind] = Number(draft.retention[kind].trim());
    void run(async () => {
      const result = await api.invoke('settings.update', {
        retentionYears,
        countCoverAndCertification: draft.countCover,
        duplexByDefault: draft.duplex,
        archiveMirrorDir: draft.mirrorDir.trim(),
      });
      const next = draftOf(result);
      setSaved(next);
      setDraft(next);
      toast('Настройки архива сохранены. Они действуют на дела, которые будут сданы после этого.');
    });
  };

  return (
    <section className="panel" aria-labelledby="archive-settings-title">
      <h2 id="archive-settings-title" className="panel-title">
        Архив
      </h2>
      <Form className="form form-two-columns" onSubmit={submit} aria-label="Настройки архива">
        {VOLUME_KINDS.map((kind) => (
          <TextField
            key={kind}
            label={`Срок хранения, лет: ${VOLUME_KIND_LABELS[kind].toLowerCase()}`}
            inputMode="numeric"
            value={draft.retention[kind]}
            onValue={(value) => setDraft((d) => ({ ...d, retention: { ...d.retention, [kind]: value } }))}
            error={errors.fields[`retentionYears.${kind}`]}
            readOnly={!editable}
          />
        ))}
        <TextField
          label="Папка второй копии архива"
          value={draft.mirrorDir}
          onValue={(mirrorDir) => setDraft((d) => ({ ...d, mirrorDir }))}
          error={errors.fields.archiveMirrorDir}
          hint="Другой диск или сетевая папка в другом помещении: каждое сданное дело копируется и туда. Пусто — второй копии нет."
          readOnly={!editable}
          autoComplete="off"
          fieldClassName="span-2"
        />
        <label className="checkbox-line span-2">
          <input
            type="checkbox"
            checked={draft.countCover}
            disabled={!editable}
            onChange={(e) => setDraft((d) => ({ ...d, countCover: e.target.checked }))}
          />{' '}
          Считать обложку и лист-заверитель в числе листов
        </label>
        <label className="checkbox-line span-2">
          <input type="checkbox" checked={draft.duplex} disabled={!editable} onChange={(e) => setDraft((d) => ({ ...d, duplex: e.target.checked }))} />{' '}
          Двусторонняя печать по умолчанию
        </label>
        <div className="span-2">
          <ErrorNotice>{errors.message}</ErrorNotice>
        </div>
        {editable ? (
          <div className="form-actions span-2">
            <button type="submit" className="btn btn-primary" disabled={busy || !changed}>
              Сохранить настройки архива
            </button>
            {changed ? <span className="muted small">Есть несохранённые изменения.</span> : null}
          </div>
        ) : null}
      </Form>
    </section>
  );
}
