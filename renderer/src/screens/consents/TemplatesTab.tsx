import { useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import type { ConsentTemplate, ConsentTemplateDraft } from '../../../../common/api/consents-contract';
import { CONSENT_PURPOSE_LABELS, CONSENT_PURPOSES, type ConsentPurpose } from '../../../../common/api/consents';
import { useApi, useLoad, useSession } from '../../api/context';
import { clientErrors, Dialog, DialogActions, ErrorNotice, Form, Kbd, Loading, Notice, TextField, useSubmit, useToast } from '../../components/ui';
import { formatDateTime } from '../../format';
import { capitalize, linesOf, TextAreaField } from './shared';

/** The parts of a consent text in the order of ст. 9 ч. 4, with their Russian names. */
const PARTS: readonly { key: 'purposeText' | 'dataList' | 'actionsText' | 'processorText' | 'termText'; label: string }[] = [
  { key: 'purposeText', label: 'Цель обработки' },
  { key: 'dataList', label: 'Перечень данных' },
  { key: 'actionsText', label: 'Действия с данными и способы обработки' },
  { key: 'processorText', label: 'Обработчик по поручению оператора' },
  { key: 'termText', label: 'Срок действия и порядок отзыва' },
];

/**
 * «Тексты согласий»: the current version of each consent and its history. The administrator
 * writes a new version (old ones are never edited: signed consents refer to them); others read.
 */
export function TemplatesTab() {
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const mayEdit = roleMayCall('consentTemplates.save', user.role);
  const list = useLoad(() => api.invoke('consentTemplates.list', {}));
  const [editing, setEditing] = useState<{ purpose: ConsentPurpose; draft: ConsentTemplateDraft } | null>(null);

  if (list.error && !list.data) return <ErrorNotice error={list.error} />;
  if (!list.data) return <Loading />;
  const { templates, defaults } = list.data;

  return (
    <div className="stack">
      <p className="toolbar-text muted">
        С 1 сентября 2025 года каждое согласие — отдельный документ. Изменённый текст сохраняется как новая редакция: уже подписанные согласия остаются
        привязанными к своей редакции, новые записываются по последней.
        {mayEdit ? '' : ' Изменять тексты может только администратор.'}
      </p>
      {CONSENT_PURPOSES.map((purpose) => {
        const versions = templates.filter((t) => t.purpose === purpose).sort((a, b) => b.version - a.version);
        const current = versions.find((t) => t.current) ?? versions[0] ?? null;
        const fallback = defaults.find((d) => d.purpose === purpose) ?? null;
        return (
          <section key={purpose} className="panel consents-template" data-purpose={purpose} aria-labelledby={`template-${purpose}`}>
            <div className="toolbar">
              <h2 className="panel-title" id={`template-${purpose}`}>
                {capitalize(CONSENT_PURPOSE_LABELS[purpose])}
                <span className="tag" data-testid="template-version">
                  {current ? `редакция № ${current.version}` : 'текст не утверждён'}
                </span>
              </h2>
              {mayEdit ? (
                <button
                  type="button"
                  className="btn"
                  onClick={() => setEditing({ purpose, draft: current ?? fallback ?? emptyDraft(purpose) })}
                >
                  {current ? 'Новая редакция…' : 'Утвердить текст…'}
                </button>
              ) : null}
            </div>
            {current ? (
              <TemplateText template={current} />
            ) : (
              <Notice kind="warning">
                Текст этого согласия ещё не утверждён: бланки печатаются по предлагаемому тексту, пока администратор не сохранит свою редакцию.
              </Notice>
            )}
            {versions.length > 1 ? (
              <details className="consents-history">
                <summary>Прежние редакции ({versions.length - 1})</summary>
                {versions
                  .filter((t) => t !== current)
                  .map((t) => (
                    <div key={t.id} className="consents-old-version">
                      <h3>
                        Редакция № {t.version} от {formatDateTime(t.createdAt, false)}
                      </h3>
                      <TemplateText template={t} />
                    </div>
                  ))}
              </details>
            ) : null}
          </section>
        );
      })}
      {editing ? (
        <TemplateEditor
          purpose={editing.purpose}
          draft={editing.draft}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            toast(`Сохранена редакция № ${saved.version}: «${saved.title}»`);
            list.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function emptyDraft(purpose: ConsentPurpose): ConsentTemplateDraft {
  return { purpose, title: '', purposeText: '', dataList: '', actionsText: '', processorText: null, termText: '', categories: purpose === 'distribution' ? [] : null };
}

function TemplateText({ template }: { template: ConsentTemplate }) {
  return (
    <dl className="kv consents-kv">
      <div className="kv-row">
        <dt>Заголовок</dt>
        <dd>{template.title}</dd>
      </div>
      {PARTS.map((part) => {
        const value = template[part.key];
        if (part.key === 'processorText' && !value) return null;
        return (
          <div className="kv-row" key={part.key}>
            <dt>{part.label}</dt>
            <dd className="pre-wrap">{value}</dd>
          </div>
        );
      })}
      {template.categories ? (
        <div className="kv-row">
          <dt>Категории для распространения</dt>
          <dd>
            <ul className="consents-list">
              {template.categories.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
      <div className="kv-row">
        <dt>Сохранена</dt>
        <dd>{formatDateTime(template.createdAt, false)}</dd>
      </div>
    </dl>
  );
}

/** The editor of a new version, pre-filled from the current text (or the suggested one). */
function TemplateEditor({ purpose, draft, onClose, onSaved }: { purpose: ConsentPurpose; draft: ConsentTemplateDraft; onClose(): void; onSaved(saved: ConsentTemplate): void }) {
  const api = useApi();
  const [title, setTitle] = useState(draft.title);
  const [purposeText, setPurposeText] = useState(draft.purposeText);
  const [dataList, setDataList] = useState(draft.dataList);
  const [actionsText, setActionsText] = useState(draft.actionsText);
  const [processorText, setProcessorText] = useState(draft.processorText ?? '');
  const [termText, setTermText] = useState(draft.termText);
  const [categories, setCategories] = useState((draft.categories ?? []).join('\n'));
  const { busy, errors, setErrors, run } = useSubmit();
  const isDistribution = purpose === 'distribution';

  const submit = () => {
    const required = (value: string) => (value.trim() ? null : 'обязательное поле');
    const local = clientErrors({
      title: required(title),
      purposeText: required(purposeText),
      dataList: required(dataList),
      actionsText: required(actionsText),
      termText: required(termText),
      categories: isDistribution && linesOf(categories).length === 0 ? 'укажите хотя бы одну категорию, по строке на каждую' : null,
    });
    if (local) {
      setErrors(local);
      return;
    }
    void run(async () => {
      const saved = await api.invoke('consentTemplates.save', {
        purpose,
        title: title.trim(),
        purposeText: purposeText.trim(),
        dataList: dataList.trim(),
        actionsText: actionsText.trim(),
        processorText: processorText.trim() || null,
        termText: termText.trim(),
        ...(isDistribution ? { categories: linesOf(categories) } : {}),
      });
      onSaved(saved);
    });
  };

  // Field errors of categories come as `categories` or `categories.0`.
  const categoriesError = errors.fields.categories ?? Object.entries(errors.fields).find(([key]) => key.startsWith('categories.'))?.[1];

  return (
    <Dialog title={`Новая редакция: ${CONSENT_PURPOSE_LABELS[purpose]}`} onClose={onClose} closable={!busy} className="dialog-wide">
      {/* Enter in a text area starts a new line; the form is sent with the button or Ctrl+Enter. */}
      <Form
        onSubmit={submit}
        className="form"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.requestSubmit();
          }
        }}
      >
        <p className="dialog-text muted">
          Сохраняется новая редакция; прежние не меняются. Сведения о субъекте, представителе и операторе (ФИО, адреса, документы, название школы) печатаются в
          бланке из реестра.
        </p>
        <TextField label="Заголовок" value={title} onValue={setTitle} first maxLength={300} autoComplete="off" error={errors.fields.title} />
        <TextAreaField label="Цель обработки" value={purposeText} onValue={setPurposeText} error={errors.fields.purposeText} />
        <TextAreaField label="Перечень данных" value={dataList} onValue={setDataList} error={errors.fields.dataList} />
        <TextAreaField label="Действия с данными и способы обработки" value={actionsText} onValue={setActionsText} error={errors.fields.actionsText} />
        <TextAreaField
          label="Обработчик по поручению оператора (необязательно)"
          value={processorText}
          onValue={setProcessorText}
          rows={2}
          error={errors.fields.processorText}
          hint="Название и адрес организации, если обработку ведёт она по поручению школы."
        />
        <TextAreaField label="Срок действия и порядок отзыва" value={termText} onValue={setTermText} error={errors.fields.termText} />
        {isDistribution ? (
          <TextAreaField
            label="Категории данных для распространения"
            value={categories}
            onValue={setCategories}
            rows={5}
            error={categoriesError}
            hint="По одной категории на строку; в бланке у каждой будут отметки «разрешаю / не разрешаю»."
          />
        ) : null}
        <ErrorNotice>{errors.message}</ErrorNotice>
        <DialogActions hint={false}>
          <span className="shortcut-hint" aria-hidden="true">
            <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> — сохранить, <Kbd>Esc</Kbd> — закрыть
          </span>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Сохранить новую редакцию
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}
