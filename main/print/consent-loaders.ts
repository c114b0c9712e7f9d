import type { Selectable } from 'kysely';
import { CONSENT_PURPOSE_LABELS, CONSENT_PURPOSES, CONSENT_SUBJECT, PUPIL_SIGNS_FROM_AGE, type ConsentPurpose } from '../../common/api/consents';
import { ApiError } from '../../common/api/errors';
import { ageOn, DOCUMENT_KIND_LABELS } from '../../common/domain/person';
import { classLabel, comparePeople } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import type { ConsentTemplateTable, GuardianTable, PupilGuardianTable, PupilTable } from '../../db/schema';
import type { ConsentCoverageData, CoverageGap, CoverageRow } from '../../templates/consent-coverage';
import type { ConsentForm, ConsentFormsData, FormOperator, FormPerson, FormRepresentative } from '../../templates/consent-form';
import type { ActLogEntry, DestructionActData } from '../../templates/destruction-act';
import type { DocumentMeta } from '../../templates/types';
import { consentCoverage } from '../consents/coverage';
import { actNumberShown } from '../consents/destruction-act';
import { classById } from '../contingent/classes';
import { readSchool } from '../handlers/school';
import { fullName, initialsFirst, safeFileName, type Loaded } from './documents';

/**
 * Loaders of the consent printouts: the pre-filled forms (one family or a whole class), the
 * coverage list for the class teacher and the act of destruction. They read the register
 * directly and hand the templates plain data; the audit entry names the record, never a person.
 */

type Template = Selectable<ConsentTemplateTable>;
type PupilRow = Selectable<PupilTable>;
type GuardianLink = Selectable<GuardianTable> & Pick<Selectable<PupilGuardianTable>, 'kinship' | 'authority_doc'> & { pupil_id: number };

const ru = (iso: string) => iso.split('-').reverse().join('.');

function meta(schoolName: string, title: string, subject: string, keywords: string[]): DocumentMeta {
  return { title, author: schoolName || 'Образовательная организация', subject, keywords: ['Канцелярия', ...keywords] };
}

const people = (p: { last_name: string; first_name: string; middle_name: string | null }) => ({ lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name });

/** Today kept inside the class's school year, as the class list does. */
function dayInYear(today: string, year: { yearStart: string; yearEnd: string }): string {
  if (today < year.yearStart) return year.yearStart;
  if (today > year.yearEnd) return year.yearEnd;
  return today;
}

// ---- Templates ----

/** The current text of each purpose: the highest version. */
async function currentTemplates(db: Db): Promise<Map<ConsentPurpose, Template>> {
  const rows = await db.selectFrom('consent_template').selectAll().orderBy('purpose').orderBy('version', 'desc').execute();
  const out = new Map<ConsentPurpose, Template>();
  for (const r of rows) if (!out.has(r.purpose)) out.set(r.purpose, r);
  return out;
}

const noTemplate = (purpose: ConsentPurpose) =>
  new ApiError('refused', `Нет текста согласия «${CONSENT_PURPOSE_LABELS[purpose]}»: заполните его в разделе «Согласия» → «Тексты согласий».`);

/**
 * The purposes to print: those asked for (each must have a text, else a refusal naming it), or
 * all purposes that have a text (at least one must).
 */
async function chooseTemplates(db: Db, purposes: readonly ConsentPurpose[] | undefined): Promise<Map<ConsentPurpose, Template>> {
  const current = await currentTemplates(db);
  if (purposes) {
    for (const p of purposes) if (!current.has(p)) throw noTemplate(p);
    return new Map(CONSENT_PURPOSES.filter((p) => purposes.includes(p)).map((p) => [p, current.get(p) as Template]));
  }
  if (current.size === 0) {
    throw new ApiError('refused', 'Нет ни одного текста согласия: заполните их в разделе «Согласия» → «Тексты согласий».');
  }
  // In the order of CONSENT_PURPOSES: the pupil's forms (data, then distribution) before the guardian's.
  return new Map(CONSENT_PURPOSES.filter((p) => current.has(p)).map((p) => [p, current.get(p) as Template]));
}

function categoriesOf(template: Template): string[] | null {
  if (template.purpose !== 'distribution') return null;
  try {
    const parsed: unknown = JSON.parse(template.categories_json ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string' && c.trim() !== '') : [];
  } catch {
    return [];
  }
}

// ---- People ----

type PersonSource = Pick<PupilRow, 'doc_series' | 'doc_number' | 'doc_issued_by' | 'doc_issued_on' | 'reg_address' | 'live_address' | 'last_name' | 'first_name' | 'middle_name'> & {
  doc_kind: PupilRow['doc_kind'];
};

function person(p: PersonSource, birthDate: string | null): FormPerson {
  const live = p.live_address && p.live_address.trim() !== (p.reg_address ?? '').trim() ? p.live_address : null;
  return {
    fio: fullName(p),
    birthDate,
    regAddress: p.reg_address,
    liveAddress: live,
    document: {
      kind: p.doc_kind ? DOCUMENT_KIND_LABELS[p.doc_kind] : null,
      series: p.doc_series,
      number: p.doc_number,
      issuedBy: p.doc_issued_by,
      issuedOn: p.doc_issued_on,
    },
  };
}

function representative(g: GuardianLink): FormRepresentative {
  const isParent = g.kinship === 'мать' || g.kinship === 'отец';
  return { ...person(g, null), kinship: g.kinship, isParent, authorityDoc: g.authority_doc };
}

/** Parents first (they sign the pupil's forms), then the other representatives, each in order of entry. */
function byParentsFirst(a: GuardianLink, b: GuardianLink): number {
  const rank = (g: GuardianLink) => (g.kinship === 'мать' || g.kinship === 'отец' ? 0 : 1);
  return rank(a) - rank(b) || a.id - b.id;
}

async function guardiansOf(db: Db, pupilIds: number[]): Promise<Map<number, GuardianLink[]>> {
  const out = new Map<number, GuardianLink[]>();
  if (pupilIds.length === 0) return out;
  const rows = await db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .selectAll('g')
    .select(['pg.pupil_id', 'pg.kinship', 'pg.authority_doc'])
    .where('pg.pupil_id', 'in', pupilIds)
    .execute();
  for (const r of rows) {
    const list = out.get(r.pupil_id) ?? [];
    list.push(r);
    out.set(r.pupil_id, list);
  }
  for (const list of out.values()) list.sort(byParentsFirst);
  return out;
}

function operatorOf(school: { name: string; address: string; inn: string }): FormOperator {
  return { name: school.name || null, address: school.address || null, inn: school.inn || null };
}

// ---- Forms ----

interface FormContext {
  templates: Map<ConsentPurpose, Template>;
  operator: FormOperator;
  today: string;
  /** Guardians whose own forms are already in the document (siblings in one class): printed once. */
  printedGuardians: Set<number>;
}

function form(template: Template, ctx: FormContext, parts: Pick<ConsentForm, 'subjectKind' | 'subject' | 'representative' | 'pupilOfGuardian' | 'signerShort' | 'pupilSigns' | 'pupilShort'>): ConsentForm {
  // Legacy free-text templates keep their whole text in `body`; it stands in for the purpose.
  const purposeText = template.purpose_text.trim() !== '' ? template.purpose_text : template.body;
  return {
    purpose: template.purpose,
    title: template.title,
    article: template.purpose === 'distribution' ? 'статьёй 10.1' : 'статьёй 9',
    operator: ctx.operator,
    purposeText,
    dataList: template.data_list,
    processorText: template.processor_text,
    actionsText: template.actions_text,
    termText: template.term_text,
    categories: categoriesOf(template),
    templateVersion: template.version,
    templateDate: template.created_at.slice(0, 10),
    ...parts,
  };
}

/** The family's forms: the pupil's (signed by the first parent), then each guardian's own. */
function familyForms(pupil: PupilRow, guardians: GuardianLink[], classText: string | null, ctx: FormContext): ConsentForm[] {
  const forms: ConsentForm[] = [];
  const signer = guardians[0] ?? null;
  const pupilFio = fullName(pupil);
  const pupilSigns = ageOn(pupil.birth_date, ctx.today) >= PUPIL_SIGNS_FROM_AGE;
  for (const [purpose, template] of ctx.templates) {
    if (CONSENT_SUBJECT[purpose] !== 'pupil') continue;
    forms.push(
      form(template, ctx, {
        subjectKind: 'pupil',
        subject: person(pupil, pupil.birth_date),
        representative: signer ? representative(signer) : null,
        pupilOfGuardian: null,
        signerShort: signer ? initialsFirst(fullName(signer)) : null,
        pupilSigns,
        pupilShort: initialsFirst(pupilFio),
      }),
    );
  }
  for (const g of guardians) {
    if (ctx.printedGuardians.has(g.id)) continue;
    let any = false;
    for (const [purpose, template] of ctx.templates) {
      if (CONSENT_SUBJECT[purpose] !== 'guardian') continue;
      any = true;
      forms.push(
        form(template, ctx, {
          subjectKind: 'guardian',
          subject: person(g, null),
          representative: null,
          pupilOfGuardian: { fio: pupilFio, classLabel: classText },
          signerShort: initialsFirst(fullName(g)),
          pupilSigns: false,
          pupilShort: '',
        }),
      );
    }
    if (any) ctx.printedGuardians.add(g.id);
  }
  return forms;
}

/** The class a pupil is in on the day, else the latest one the register knows. */
async function classOfPupil(db: Db, pupilId: number, day: string): Promise<string | null> {
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['m.from_date', 'm.to_date', 'c.parallel', 'c.letter'])
    .where('m.pupil_id', '=', pupilId)
    .orderBy('m.from_date', 'desc')
    .orderBy('m.id', 'desc')
    .execute();
  const now = rows.find((r) => r.from_date <= day && (r.to_date === null || r.to_date >= day)) ?? rows[0];
  return now ? classLabel(now.parallel, now.letter) : null;
}

const FORMS_SUBJECT = 'Согласия на обработку персональных данных (ст. 9, 10.1 Федерального закона № 152-ФЗ)';

export async function loadConsentFormsFamily(db: Db, pupilId: number, purposes: readonly ConsentPurpose[] | undefined, today: string): Promise<Loaded<ConsentFormsData>> {
  const pupil = await db.selectFrom('pupil').selectAll().where('id', '=', pupilId).executeTakeFirst();
  if (!pupil) throw new ApiError('not_found', 'Обучающийся не найден: возможно, номер указан неверно. Обновите список.', { pupilId: 'нет такого обучающегося' });
  const templates = await chooseTemplates(db, purposes);
  const school = await readSchool(db);
  const guardians = (await guardiansOf(db, [pupil.id])).get(pupil.id) ?? [];
  const ctx: FormContext = { templates, operator: operatorOf(school), today, printedGuardians: new Set() };
  const forms = familyForms(pupil, guardians, await classOfPupil(db, pupil.id, today), ctx);
  if (forms.length === 0) {
    throw new ApiError('refused', 'У обучающегося нет законных представителей: бланки согласий представителей не из чего составить. Добавьте представителя в карточке обучающегося.');
  }
  const fio = fullName(pupil);
  const short = `${pupil.last_name} ${pupil.first_name[0] ?? ''}.${pupil.middle_name ? ` ${pupil.middle_name[0]}.` : ''}`;
  return {
    data: { forms },
    meta: meta(school.name, `Согласия на обработку персональных данных: ${fio}`, FORMS_SUBJECT, ['согласие', '152-ФЗ']),
    baseName: safeFileName(`Согласия ${short}`),
    entity: 'pupil',
    entityId: pupil.id,
  };
}

async function pupilsOfClassOn(db: Db, classId: number, day: string): Promise<PupilRow[]> {
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .selectAll('p')
    .where('m.class_id', '=', classId)
    .where('m.from_date', '<=', day)
    .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', day)]))
    .execute();
  const unique = new Map(rows.map((r) => [r.id, r]));
  return [...unique.values()].sort((a, b) => comparePeople(people(a), people(b)) || a.id - b.id);
}

export async function loadConsentFormsClass(db: Db, classId: number, purposes: readonly ConsentPurpose[] | undefined, today: string): Promise<Loaded<ConsentFormsData>> {
  const cls = await classById(db, classId);
  const templates = await chooseTemplates(db, purposes);
  const day = dayInYear(today, cls);
  const pupils = await pupilsOfClassOn(db, cls.id, day);
  if (pupils.length === 0) throw new ApiError('refused', `В ${cls.label} классе на ${ru(day)} нет обучающихся: печатать нечего.`);
  const school = await readSchool(db);
  const guardians = await guardiansOf(
    db,
    pupils.map((p) => p.id),
  );
  const ctx: FormContext = { templates, operator: operatorOf(school), today, printedGuardians: new Set() };
  const forms = pupils.flatMap((p) => familyForms(p, guardians.get(p.id) ?? [], cls.label, ctx));
  if (forms.length === 0) {
    throw new ApiError('refused', `У обучающихся ${cls.label} класса нет законных представителей: бланки согласий представителей не из чего составить.`);
  }
  return {
    data: { forms },
    meta: meta(school.name, `Согласия на обработку персональных данных: ${cls.label} класс`, FORMS_SUBJECT, ['согласие', '152-ФЗ', cls.label, cls.yearName]),
    baseName: safeFileName(`Согласия ${cls.label} класса`),
    entity: 'school_class',
    entityId: cls.id,
  };
}

// ---- Coverage list ----

async function teacherOf(db: Db, classId: number): Promise<string | null> {
  const row = await db
    .selectFrom('school_class as c')
    .innerJoin('staff as s', 's.id', 'c.class_teacher_id')
    .select(['s.last_name', 's.first_name', 's.middle_name'])
    .where('c.id', '=', classId)
    .executeTakeFirst();
  return row ? initialsFirst(fullName(row)) : null;
}

const decision = (r: { status: 'refused' | 'withdrawn'; decidedOn: string }) => `${r.status === 'refused' ? 'отказ от' : 'отозвано'} ${ru(r.decidedOn)}`;

export async function loadConsentCoverage(db: Db, classId: number, today: string): Promise<Loaded<ConsentCoverageData>> {
  const cls = await classById(db, classId);
  const day = dayInYear(today, cls);
  const coverage = await consentCoverage(db, { classId: cls.id }, day);
  const report = coverage.classes[0];
  const pupils = await pupilsOfClassOn(db, cls.id, day);
  const guardians = await guardiansOf(
    db,
    pupils.map((p) => p.id),
  );
  const rows = new Map<number, CoverageRow>(
    pupils.map((p) => [p.id, { fio: fullName(p), pupilData: [], guardianData: [], electronic: [], noGuardians: (guardians.get(p.id) ?? []).length === 0 }]),
  );
  for (const m of report?.missing ?? []) {
    const row = rows.get(m.pupilId);
    if (!row) continue;
    const gap: CoverageGap = { mark: 'нет', person: m.personKind === 'guardian' ? m.person : null, reason: m.reason };
    if (m.purpose === 'guardian_data') row.guardianData.push(gap);
    else if (m.purpose === 'electronic_results') row.electronic.push(gap);
    else if (m.purpose === 'pupil_data') row.pupilData.push(gap);
  }
  for (const r of report?.refusedElectronic ?? []) {
    rows.get(r.pupilId)?.electronic.push({ mark: 'бумага', person: r.guardian, reason: `${decision(r)}: выписка на бумаге` });
  }
  const school = await readSchool(db);
  const title = `Сведения о согласиях обучающихся ${cls.label} класса на ${ru(coverage.date)}`;
  return {
    data: {
      school: { name: school.name || 'Образовательная организация', address: school.address, directorShort: initialsFirst(school.directorName) },
      classLabel: cls.label,
      date: coverage.date,
      teacher: await teacherOf(db, cls.id),
      rows: [...rows.values()],
      refusals: (report?.refusedElectronic ?? []).map((r) => ({
        pupil: r.pupil,
        guardian: r.guardian,
        decision: decision(r),
      })),
    },
    meta: meta(school.name, title, 'Сведения о согласиях на обработку персональных данных для классного руководителя', ['согласие', 'охват', cls.label, cls.yearName]),
    baseName: safeFileName(`Согласия ${cls.label} класса на ${ru(coverage.date)}`),
    entity: 'school_class',
    entityId: cls.id,
  };
}

// ---- Act of destruction ----

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The categories as stored: a JSON array of names, or plain text («СНИЛС; адреса; …»). */
function categoryList(text: string): string[] {
  const parsed = parseJson(text);
  if (Array.isArray(parsed)) return parsed.map(String);
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const field = (entry: Record<string, unknown>, ...names: string[]): string => {
  for (const n of names) {
    const v = entry[n];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return '';
};

/** The entries of the event-log export, whether it is a bare array or an object holding one. */
function logEntries(text: string): ActLogEntry[] {
  const parsed = parseJson(text);
  const list: unknown = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? ((parsed as Record<string, unknown>).entries ?? (parsed as Record<string, unknown>).rows) : null;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
    .map((e) => ({
      at: field(e, 'at', 'time', 'createdAt'),
      user: field(e, 'user', 'userLogin', 'user_login', 'login') || '—',
      action: field(e, 'action', 'method') || '—',
      hash: field(e, 'hash', 'entryHash', 'entry_hash'),
    }));
}

export async function loadDestructionAct(db: Db, actId: number): Promise<Loaded<DestructionActData>> {
  const act = await db.selectFrom('destruction_act').selectAll().where('id', '=', actId).executeTakeFirst();
  if (!act) throw new ApiError('not_found', 'Акт об уничтожении не найден: возможно, номер указан неверно. Обновите список актов.', { actId: 'нет такого акта' });
  const school = await readSchool(db);
  const commission = parseJson(act.commission_json);
  // Stored as 'YYYY-N' (numbering restarts each year); printed as «№ N от ДД.ММ.ГГГГ».
  const shown = actNumberShown(act.number);
  const title = `Акт об уничтожении персональных данных № ${shown} от ${ru(act.act_date)}`;
  return {
    data: {
      school: { name: school.name || 'Образовательная организация', address: school.address, directorShort: initialsFirst(school.directorName), inn: school.inn || null },
      number: shown,
      actDate: act.act_date,
      subjectLabel: act.subject_label,
      categories: categoryList(act.categories),
      reason: act.reason,
      method: act.method,
      informationSystem: act.information_system,
      commission: Array.isArray(commission) ? commission.map(String).filter((s) => s.trim() !== '') : [],
      keepUntil: act.keep_until,
      logEntries: logEntries(act.log_export_json),
      logSha256: act.log_export_sha256,
    },
    meta: meta(school.name, title, 'Акт об уничтожении персональных данных (приказ Роскомнадзора от 28.10.2022 № 179)', ['акт', 'уничтожение', '152-ФЗ', act.number]),
    baseName: safeFileName(`Акт об уничтожении ПДн № ${shown} от ${ru(act.act_date)}`),
    entity: 'destruction_act',
    entityId: act.id,
  };
}
