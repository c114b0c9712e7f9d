import type { ConsentTemplate, ConsentTemplateDraft, ConsentTemplateSave } from '../../common/api/consents-contract';
import { CONSENT_PURPOSES, CONSENT_PURPOSE_LABELS, type ConsentPurpose } from '../../common/api/consents';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { ConsentTemplateTable } from '../../db/schema';
import type { Selectable } from 'kysely';

/**
 * Consent texts. Each purpose has its own separate document (since 1 September 2025); the
 * administrator words the parts of ст. 9 ч. 4 152-ФЗ that are the school's own (purpose, list of
 * data, actions, processor, term and how to withdraw). A change is a new version: consents
 * already signed keep pointing at the text they were signed on, so an old version is never edited.
 */

export const NO_TEMPLATE_MESSAGE = 'Сначала заполните текст согласия (раздел «Согласия» → «Тексты согласий»)';

/** The categories a family chooses one by one in the distribution consent (ст. 10.1). */
export const DEFAULT_DISTRIBUTION_CATEGORIES = ['фамилия и имя', 'класс', 'фотографии', 'видеозаписи', 'сведения об участии в олимпиадах и конкурсах'];

const TERM_PROCESSING =
  'Согласие действует на период обучения обучающегося в образовательной организации и в течение сроков хранения документов, ' +
  'установленных законодательством об архивном деле. Согласие может быть отозвано письменным заявлением, поданным оператору; ' +
  'в этом случае обработка прекращается, а персональные данные уничтожаются в срок не более 30 дней, кроме случаев, предусмотренных законом.';

const ACTIONS_PROCESSING =
  'Сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), извлечение, использование, ' +
  'обезличивание, блокирование, удаление, уничтожение; обработка автоматизированная и без использования средств автоматизации.';

/**
 * Suggested texts, one per purpose (not stored): the administrator edits them and saves version 1.
 * The subject, the representative and the operator are not part of the text: the printed form
 * fills them from the pupil, guardian and school cards.
 */
export function defaultTemplates(school: { name: string }): ConsentTemplateDraft[] {
  const operator = school.name.trim() || 'образовательная организация';
  return [
    {
      purpose: 'pupil_data',
      title: 'Согласие на обработку персональных данных обучающегося',
      purposeText:
        'Организация образовательной деятельности, ведение учёта обучающихся, алфавитной книги, личного дела, классного журнала ' +
        'и электронного журнала, формирование отчётности и архивное хранение документов.',
      dataList:
        'Фамилия, имя, отчество; дата рождения; пол; СНИЛС; реквизиты документа, удостоверяющего личность; адрес регистрации ' +
        'и адрес проживания; номер телефона и адрес электронной почты; сведения о классе, успеваемости и посещаемости; сведения о движении.',
      actionsText:
        `${ACTIONS_PROCESSING} Передача (предоставление, доступ) в региональную информационную систему в сфере образования ` +
        'и органы управления образованием в случаях, установленных законом.',
      processorText: null,
      termText: `${TERM_PROCESSING} Обучающийся, достигший 14 лет, подписывает настоящее согласие наряду с родителем (законным представителем).`,
      categories: null,
    },
    {
      purpose: 'guardian_data',
      title: 'Согласие на обработку персональных данных родителя (законного представителя)',
      purposeText: 'Взаимодействие с семьёй обучающегося, информирование о ходе образовательной деятельности, ведение учёта обучающихся.',
      dataList:
        'Фамилия, имя, отчество; степень родства; реквизиты документа, удостоверяющего личность, и документа, подтверждающего ' +
        'полномочия законного представителя; СНИЛС; адрес регистрации и адрес проживания; номер телефона; адрес электронной почты.',
      actionsText: ACTIONS_PROCESSING,
      processorText: null,
      termText: TERM_PROCESSING,
      categories: null,
    },
    {
      purpose: 'distribution',
      title: 'Согласие на обработку персональных данных обучающегося, разрешённых для распространения',
      purposeText:
        'Освещение учебных и внеучебных достижений обучающегося на официальном сайте образовательной организации, на её официальных ' +
        'страницах в социальных сетях и на информационных стендах.',
      dataList: 'Категории данных, разрешённых для распространения, отмечаются отдельно по каждой категории.',
      actionsText:
        'Распространение (передача неограниченному кругу лиц) только в составе разрешённых категорий; иные категории не распространяются. ' +
        'Запрещается передача данных третьим лицам для их дальнейшей обработки, кроме размещения на перечисленных ресурсах.',
      processorText: null,
      termText:
        'Согласие действует до окончания обучения или до его отзыва письменным требованием, направленным оператору; после отзыва ' +
        'опубликованные материалы удаляются в срок не более 30 дней.',
      categories: [...DEFAULT_DISTRIBUTION_CATEGORIES],
    },
    {
      purpose: 'electronic_results',
      title: 'Согласие на получение результатов обучения в электронной форме',
      purposeText:
        'Получение сведений о текущей успеваемости, посещаемости и результатах промежуточной аттестации обучающегося в электронной форме ' +
        '(электронный дневник) через региональную информационную систему в сфере образования с использованием выданных реквизитов доступа.',
      dataList: 'Отметки, сведения о посещаемости, результаты промежуточной аттестации, домашние задания.',
      actionsText:
        'Предоставление сведений в электронной форме по выданным реквизитам доступа. Представитель обязуется не передавать реквизиты ' +
        `доступа третьим лицам и в течение одного рабочего дня сообщить в ${operator} об их утрате или разглашении.`,
      processorText: null,
      termText:
        'Согласие действует на период обучения и может быть отозвано письменным заявлением. При отказе от получения сведений ' +
        'в электронной форме они предоставляются в виде выписки на бумажном носителе не реже одного раза в неделю.',
      categories: null,
    },
  ];
}

type TemplateRow = Selectable<ConsentTemplateTable>;

function parseCategories(json: string | null): string[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.map(String) : null;
}

export function templateView(row: TemplateRow, current: boolean): ConsentTemplate {
  return {
    id: row.id,
    purpose: row.purpose,
    version: row.version,
    title: row.title,
    // Legacy templates kept their free text in body (the migration copied it to purpose_text).
    purposeText: row.purpose_text || row.body,
    dataList: row.data_list,
    actionsText: row.actions_text,
    processorText: row.processor_text,
    termText: row.term_text,
    categories: parseCategories(row.categories_json),
    createdAt: row.created_at,
    current,
  };
}

/** Every version, purposes in their fixed order, newest version first. */
export async function listTemplates(db: Db): Promise<ConsentTemplate[]> {
  const rows = await db.selectFrom('consent_template').selectAll().orderBy('version', 'desc').orderBy('id', 'desc').execute();
  const out: ConsentTemplate[] = [];
  for (const purpose of CONSENT_PURPOSES) {
    const own = rows.filter((r) => r.purpose === purpose);
    own.forEach((r, i) => out.push(templateView(r, i === 0)));
  }
  return out;
}

/** The version a consent is recorded against (default: the current one), or a refusal. */
export async function templateFor(db: Db, purpose: ConsentPurpose, version?: number): Promise<TemplateRow> {
  let q = db.selectFrom('consent_template').selectAll().where('purpose', '=', purpose);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (row) return row;
  const any = await db.selectFrom('consent_template').select('id').where('purpose', '=', purpose).executeTakeFirst();
  if (!any) {
    throw new ApiError('refused', NO_TEMPLATE_MESSAGE, { purpose: `нет текста согласия «${CONSENT_PURPOSE_LABELS[purpose]}»` });
  }
  throw new ApiError('invalid_params', `Версия текста: у согласия «${CONSENT_PURPOSE_LABELS[purpose]}» нет редакции № ${version}.`, { templateVersion: 'нет такой редакции' });
}

/** Trimmed, without repeats (compared case-insensitively), in the order given. */
export function uniqueCategories(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of list) {
    const value = item.trim().replace(/\s+/g, ' ');
    const key = value.toLowerCase();
    if (!value || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** Stores a new version of a purpose's text; returns the stored row. */
export async function saveTemplate(db: Db, params: ConsentTemplateSave, userId: number | null, at: string): Promise<ConsentTemplate> {
  const categories = params.categories === undefined ? [] : uniqueCategories(params.categories);
  if (params.purpose === 'distribution' && categories.length === 0) {
    throw new ApiError('invalid_params', 'Категории: в согласии на распространение нужна хотя бы одна категория данных (например, «фамилия и имя»).', {
      categories: 'нужна хотя бы одна категория',
    });
  }
  if (params.purpose !== 'distribution' && categories.length > 0) {
    throw new ApiError('invalid_params', 'Категории: выбираются только в согласии на распространение данных.', { categories: 'только для согласия на распространение' });
  }
  const previous = await db.selectFrom('consent_template').select((eb) => eb.fn.max('version').as('v')).where('purpose', '=', params.purpose).executeTakeFirst();
  const version = Number(previous?.v ?? 0) + 1;
  const processor = params.processorText?.trim() ? params.processorText.trim() : null;
  const row = await db
    .insertInto('consent_template')
    .values({
      purpose: params.purpose,
      version,
      title: params.title,
      body: '',
      purpose_text: params.purposeText,
      data_list: params.dataList,
      actions_text: params.actionsText,
      processor_text: processor,
      term_text: params.termText,
      categories_json: params.purpose === 'distribution' ? JSON.stringify(categories) : null,
      created_at: at,
      created_by: userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return templateView(row, true);
}
