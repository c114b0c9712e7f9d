import type { ReactElement, ReactNode } from 'react';
import { Layout, ruDate } from './layout';
import { SignatureLine } from './signature-line';
import type { DocumentMeta } from './types';

/**
 * Pre-filled consent forms (ст. 9 ч. 4 and ст. 10.1 152-ФЗ): one separate document per consent
 * per subject, each starting on a new sheet — since 1 September 2025 consents may not be merged.
 * Every field the register lacks prints as a line to fill by hand.
 */

export interface IdentityDocument {
  /** «паспорт гражданина РФ», «свидетельство о рождении», … */
  kind: string | null;
  series: string | null;
  number: string | null;
  issuedBy: string | null;
  issuedOn: string | null;
}

export interface FormPerson {
  fio: string;
  /** Printed for the pupil only (a guardian's birth date is not a field of the consent). */
  birthDate: string | null;
  regAddress: string | null;
  /** Only when it differs from the registration address. */
  liveAddress: string | null;
  document: IdentityDocument;
}

export interface FormRepresentative extends FormPerson {
  /** «мать», «отец», «опекун», «попечитель», «иное». */
  kinship: string;
  /** A parent's authority is the kinship itself; anyone else shows the document of authority. */
  isParent: boolean;
  authorityDoc: string | null;
}

export interface FormOperator {
  name: string | null;
  address: string | null;
  inn: string | null;
}

export interface ConsentForm {
  purpose: 'pupil_data' | 'guardian_data' | 'distribution' | 'electronic_results';
  title: string;
  /** The article the form rests on: «статьёй 9» or «статьёй 10.1». */
  article: string;
  /** The subject's role in the sentence: the pupil (signed by the representative) or the guardian himself. */
  subjectKind: 'pupil' | 'guardian';
  subject: FormPerson;
  /** Pupil forms: the guardian who signs; null when the register knows none (blank lines). */
  representative: FormRepresentative | null;
  /** Guardian forms: whose family the consent belongs to. */
  pupilOfGuardian: { fio: string; classLabel: string | null } | null;
  operator: FormOperator;
  purposeText: string;
  dataList: string;
  processorText: string | null;
  actionsText: string;
  termText: string;
  /** Distribution only: the categories offered one by one. */
  categories: string[] | null;
  /** «И. О. Фамилия» of whoever signs first, or null for a blank transcript. */
  signerShort: string | null;
  /** The pupil's own signature line (14 years and older on the print date). */
  pupilSigns: boolean;
  pupilShort: string;
  templateVersion: number;
  templateDate: string;
}

export interface ConsentFormsData {
  forms: ConsentForm[];
}

/** A line to fill by hand instead of a missing value. */
export const BLANK = '____________________';
const SHORT_BLANK = '________';

const CSS = `
.form { font-size: 10pt; line-height: 1.25; }
.form + .form { break-before: page; page-break-before: always; }
.form-title { text-align: center; font-size: 12.5pt; font-weight: 700; margin: 0 0 2pt; }
.form-law { text-align: center; font-size: 9pt; margin-bottom: 8pt; }
.field { margin: 0 0 3pt; break-inside: avoid; page-break-inside: avoid; }
.field-head { font-weight: 700; }
.field-row { margin-left: 6mm; }
.field-text { margin-left: 6mm; text-align: justify; white-space: pre-line; }
.statement { margin: 6pt 0; text-align: justify; }
table.choices { width: calc(100% - 1.5pt); border-collapse: collapse; margin: 3pt 0 4pt; font-size: 10pt; }
table.choices td, table.choices th { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: middle; }
table.choices th { font-weight: 700; background: #ececec; text-align: center; }
table.choices td.box { width: 30mm; text-align: center; white-space: nowrap; }
.box-mark { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.75pt solid #000; vertical-align: -0.4mm; margin-right: 1.5mm; }
.rule { border-bottom: 0.75pt solid #000; height: 5.5mm; margin-left: 6mm; }
.signatures { margin-top: 6pt; break-inside: avoid; page-break-inside: avoid; }
.sig { display: flex; align-items: flex-end; gap: 3mm; margin-top: 8pt; }
.sig .who { flex: 0 0 46mm; font-size: 9.5pt; }
.sig .cell { flex: 1 1 auto; text-align: center; }
.sig .cell .value { border-bottom: 0.75pt solid #000; min-height: 5mm; }
.sig .cell .caption { font-size: 7.5pt; }
.sig .cell.date { flex: 0 0 38mm; white-space: nowrap; }
.form-footer { margin-top: 8pt; font-size: 8pt; color: #333; border-top: 0.5pt solid #999; padding-top: 2pt; }
`;

function orBlank(value: string | null | undefined, blank = BLANK): string {
  return value && value.trim() !== '' ? value : blank;
}

function Row({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="field-row">
      {label}: {children}
    </div>
  );
}

function DocumentLine({ doc }: { doc: IdentityDocument }): ReactElement {
  return (
    <Row label="Документ, удостоверяющий личность">
      {orBlank(doc.kind)}, серия {orBlank(doc.series, SHORT_BLANK)} № {orBlank(doc.number, SHORT_BLANK)}, выдан {orBlank(doc.issuedBy)}{' '}
      {doc.issuedOn ? ruDate(doc.issuedOn) : `${SHORT_BLANK} (дата выдачи)`}
    </Row>
  );
}

function PersonRows({ person }: { person: FormPerson }): ReactElement {
  return (
    <>
      <Row label="Фамилия, имя, отчество">{orBlank(person.fio)}</Row>
      {person.birthDate ? <Row label="Дата рождения">{ruDate(person.birthDate)}</Row> : null}
      <Row label="Адрес регистрации">{orBlank(person.regAddress)}</Row>
      {person.liveAddress ? <Row label="Адрес проживания">{person.liveAddress}</Row> : null}
      <DocumentLine doc={person.document} />
    </>
  );
}

const EMPTY_PERSON: FormPerson = {
  fio: '',
  birthDate: null,
  regAddress: null,
  liveAddress: null,
  document: { kind: null, series: null, number: null, issuedBy: null, issuedOn: null },
};

function Representative({ form }: { form: ConsentForm }): ReactElement {
  if (form.subjectKind === 'guardian') {
    return (
      <div className="field">
        <div className="field-head">2. Представитель субъекта персональных данных</div>
        <div className="field-row">не участвует: согласие даёт сам субъект персональных данных</div>
        {form.pupilOfGuardian ? (
          <Row label="Законный представитель обучающегося">
            {form.pupilOfGuardian.fio}
            {form.pupilOfGuardian.classLabel ? `, ${form.pupilOfGuardian.classLabel} класс` : ''}
          </Row>
        ) : null}
      </div>
    );
  }
  const r = form.representative;
  return (
    <div className="field">
      <div className="field-head">2. Представитель субъекта персональных данных (родитель, законный представитель)</div>
      <PersonRows person={r ?? EMPTY_PERSON} />
      {r === null ? (
        <Row label="Основание полномочий (степень родства или документ)">{BLANK}</Row>
      ) : r.isParent ? (
        <Row label="Основание полномочий">{r.kinship} (родитель)</Row>
      ) : (
        <Row label={`Документ, подтверждающий полномочия (${r.kinship})`}>{orBlank(r.authorityDoc)}</Row>
      )}
    </div>
  );
}

function TextField({ n, head, text }: { n: number; head: string; text: string }): ReactElement {
  return (
    <div className="field">
      <div className="field-head">
        {n}. {head}
      </div>
      <div className="field-text">{orBlank(text)}</div>
    </div>
  );
}

function Categories({ categories }: { categories: string[] }): ReactElement {
  return (
    <div className="field">
      <div className="field-head">Категории персональных данных, разрешённых для распространения (решение по каждой отдельно)</div>
      <table className="choices">
        <thead>
          <tr>
            <th>Категория</th>
            <th>Разрешаю</th>
            <th>Не разрешаю</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={i}>
              <td>{c}</td>
              <td className="box">
                <span className="box-mark" />
                разрешаю
              </td>
              <td className="box">
                <span className="box-mark" />
                не разрешаю
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="field-head">Условия и запреты (ст. 10.1 ч. 9 152-ФЗ)</div>
      <div className="field-row small">
        Запреты на передачу (кроме предоставления доступа) неограниченному кругу лиц и условия обработки, если они устанавливаются:
      </div>
      <div className="rule" />
      <div className="rule" />
      <div className="rule" />
    </div>
  );
}

function SubjectSignature({ who, transcript }: { who: string; transcript: string | null }): ReactElement {
  return (
    <SignatureLine
      className="sig"
      roleClassName="who"
      role={who}
      cells={[
        { caption: 'подпись' },
        { value: transcript ?? undefined, caption: 'расшифровка подписи' },
        { value: '«___» ________ 20___ г.', caption: 'дата', className: 'date' },
      ]}
    />
  );
}

function FormView({ form }: { form: ConsentForm }): ReactElement {
  const forPupil = form.subjectKind === 'pupil';
  let n = 3;
  const next = () => (n += 1);
  return (
    <section className="form">
      <div className="form-title">{form.title}</div>
      <div className="form-law">в соответствии со {form.article} Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных»</div>

      <div className="field">
        <div className="field-head">1. Субъект персональных данных{forPupil ? ' (обучающийся)' : ''}</div>
        <PersonRows person={form.subject} />
      </div>
      <Representative form={form} />
      <div className="field">
        <div className="field-head">3. Оператор персональных данных</div>
        <Row label="Наименование">{orBlank(form.operator.name)}</Row>
        <Row label="Адрес">{orBlank(form.operator.address)}</Row>
        <Row label="ИНН">{orBlank(form.operator.inn, SHORT_BLANK)}</Row>
      </div>
      <TextField n={next()} head="Цель обработки персональных данных" text={form.purposeText} />
      <TextField n={next()} head={form.categories ? 'Перечень персональных данных' : 'Перечень персональных данных, на обработку которых даётся согласие'} text={form.dataList} />
      {form.categories ? <Categories categories={form.categories} /> : null}
      <div className="field">
        <div className="field-head">{next()}. Лицо, осуществляющее обработку персональных данных по поручению оператора</div>
        <div className="field-text">{form.processorText && form.processorText.trim() !== '' ? form.processorText : 'не привлекается'}</div>
      </div>
      <TextField n={next()} head="Перечень действий с персональными данными и способы их обработки" text={form.actionsText} />
      <TextField n={next()} head="Срок действия согласия и способ его отзыва" text={form.termText} />

      {/* The statement travels with the signatures: a signature never stands alone on a sheet. */}
      <div className="signatures">
        <div className="statement">
          Настоящее согласие даю свободно, своей волей и в своём интересе{forPupil ? ' (в интересе представляемого обучающегося)' : ''}.
        </div>
        <div className="field-head">{next()}. Подпись и дата</div>
        <SubjectSignature who={forPupil ? 'Подпись родителя (законного представителя)' : 'Подпись субъекта персональных данных'} transcript={form.signerShort} />
        {forPupil && form.pupilSigns ? <SubjectSignature who="Подпись обучающегося, достигшего 14 лет" transcript={form.pupilShort} /> : null}
      </div>
      <div className="form-footer">
        Текст согласия: редакция № {form.templateVersion} от {ruDate(form.templateDate)}
      </div>
    </section>
  );
}

/** All the forms of one family or of a class, one after another, each from a new sheet. */
export function ConsentFormsDocument({ data, meta, fontCss }: { data: ConsentFormsData; meta: DocumentMeta; fontCss: string }): ReactElement {
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      {data.forms.map((form, i) => (
        <FormView key={i} form={form} />
      ))}
    </Layout>
  );
}
