import { ageOn, workdayOnOrAfter, type Day, type SchoolCalendar } from './calendar';
import type { PeoplePlan } from './people';
import type { Random } from './random';
import type { SchoolCard } from './school';

/**
 * Consent templates (version 1 of each purpose, separate documents as required since 1 September
 * 2025) and the consents of the demo families: pupil data for every pupil (signed by a guardian,
 * and by the pupil from 14), guardian data for every guardian, electronic results given by ~95 %
 * of guardians and refused by the rest (whole families), distribution for ~60 % of pupils.
 */

export type Purpose = 'pupil_data' | 'guardian_data' | 'distribution' | 'electronic_results';

export interface TemplatePlan {
  purpose: Purpose;
  title: string;
  body: string;
}

export function consentTemplates(school: SchoolCard): TemplatePlan[] {
  const operator = `${school.name} (ИНН ${school.inn}), адрес: ${school.address}`;
  const term =
    'Согласие действует на период обучения обучающегося в образовательной организации и в течение сроков хранения документов, ' +
    'установленных законодательством об архивном деле. Согласие может быть отозвано письменным заявлением, поданным оператору; ' +
    'в этом случае обработка прекращается, а персональные данные уничтожаются в срок не более 30 дней, кроме случаев, предусмотренных законом.';
  const subject =
    'Я, ____________________________ (фамилия, имя, отчество), паспорт: серия ______ № __________, выдан ______________________ ' +
    '(кем и когда), зарегистрированный(ая) по адресу: ______________________________';
  return [
    {
      purpose: 'pupil_data',
      title: 'Согласие на обработку персональных данных обучающегося',
      body:
        `${subject}, являясь родителем (законным представителем) несовершеннолетнего ____________________________ ` +
        '(фамилия, имя, отчество, дата рождения), документ, подтверждающий полномочия: ______________________, ' +
        `в соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» даю согласие оператору — ${operator} — ` +
        'на обработку персональных данных обучающегося в целях организации образовательной деятельности, ведения учёта обучающихся, ' +
        'алфавитной книги, личного дела, классного журнала и электронного журнала, формирования отчётности и архивного хранения документов.\n' +
        'Перечень данных: фамилия, имя, отчество; дата рождения; пол; СНИЛС; реквизиты документа, удостоверяющего личность; адрес регистрации ' +
        'и адрес проживания; номер телефона и адрес электронной почты; сведения о классе, успеваемости и посещаемости; сведения о движении.\n' +
        'Действия: сбор, запись, систематизация, накопление, хранение, уточнение, извлечение, использование, передача (предоставление, доступ) ' +
        'в региональную информационную систему в сфере образования Красноярского края и органы управления образованием, обезличивание, ' +
        'блокирование, удаление, уничтожение; обработка автоматизированная и без использования средств автоматизации.\n' +
        `${term}\nОбучающийся, достигший 14 лет, подписывает настоящее согласие наряду с родителем (законным представителем).`,
    },
    {
      purpose: 'guardian_data',
      title: 'Согласие на обработку персональных данных родителя (законного представителя)',
      body:
        `${subject}, в соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» даю согласие ` +
        `оператору — ${operator} — на обработку моих персональных данных в целях взаимодействия с семьёй обучающегося, ` +
        'информирования о ходе образовательной деятельности и ведения учёта обучающихся.\n' +
        'Перечень данных: фамилия, имя, отчество; степень родства; реквизиты документа, удостоверяющего личность, и документа, ' +
        'подтверждающего полномочия законного представителя; СНИЛС; адрес регистрации и адрес проживания; номер телефона; адрес электронной почты.\n' +
        'Действия: сбор, запись, систематизация, накопление, хранение, уточнение, извлечение, использование, блокирование, удаление, ' +
        `уничтожение; обработка автоматизированная и без использования средств автоматизации.\n${term}`,
    },
    {
      purpose: 'distribution',
      title: 'Согласие на обработку персональных данных обучающегося, разрешённых для распространения',
      body:
        `${subject}, являясь родителем (законным представителем) несовершеннолетнего ____________________________, в соответствии ` +
        `со статьёй 10.1 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» даю согласие оператору — ${operator} — ` +
        'на распространение персональных данных обучающегося на официальном сайте образовательной организации, на её официальных ' +
        'страницах в социальных сетях и на информационных стендах в целях освещения учебных и внеучебных достижений обучающегося.\n' +
        'Категории данных, разрешённых для распространения (отмечаются отдельно): фамилия и имя; класс; фотографии; видеозаписи; ' +
        'сведения об участии в олимпиадах и конкурсах и их результатах.\n' +
        'Условия и запреты: передача данных неограниченному кругу лиц только в составе перечисленных категорий; иные категории ' +
        'не распространяются.\nСогласие действует до окончания обучения или до его отзыва письменным требованием, направленным оператору.',
    },
    {
      purpose: 'electronic_results',
      title: 'Согласие на получение результатов обучения в электронной форме',
      body:
        `${subject}, являясь родителем (законным представителем) обучающегося ____________________________, ` +
        'даю согласие на получение сведений о текущей успеваемости, посещаемости и результатах промежуточной аттестации обучающегося ' +
        'в электронной форме (электронный дневник) через региональную информационную систему в сфере образования Красноярского края ' +
        'с использованием выданных мне реквизитов доступа.\n' +
        'Мне известно, что при отказе от получения сведений в электронной форме они предоставляются в виде выписки на бумажном носителе ' +
        'не реже одного раза в неделю. Обязуюсь не передавать реквизиты доступа третьим лицам и в течение одного рабочего дня сообщить ' +
        `оператору — ${operator} — об их утрате или разглашении.`,
    },
  ];
}

export interface ConsentPlan {
  subjectKind: 'pupil' | 'guardian';
  pupil: number | null;
  guardian: number | null;
  purpose: Purpose;
  status: 'given' | 'refused';
  day: Day;
  signedByGuardian: number | null;
  signedByPupil: boolean;
  categories: string[] | null;
}

const DISTRIBUTION_CATEGORIES = ['фамилия и имя', 'класс', 'фотографии', 'видеозаписи', 'сведения об участии в олимпиадах и конкурсах'] as const;

/**
 * Families sign at the start of the year (the new separate consents), newcomers on the day of
 * admission. Consents are listed family by family, in the order given.
 */
export function planConsents(rng: Random, calendar: SchoolCalendar, people: PeoplePlan, admissionDay: readonly Day[]): ConsentPlan[] {
  const out: ConsentPlan[] = [];
  for (const family of people.families) {
    const signer = family.guardians[0] ?? null;
    let familyDay = Number.POSITIVE_INFINITY;
    for (const c of family.children) {
      const pupil = people.pupils[c];
      if (!pupil) continue;
      const day = pupil.midYear ? (admissionDay[c] as Day) : workdayOnOrAfter(calendar.startsOn + rng.int(0, 12));
      familyDay = Math.min(familyDay, day);
      const fourteen = ageOn(pupil.birth, day) >= 14;
      out.push({
        subjectKind: 'pupil',
        pupil: c,
        guardian: null,
        purpose: 'pupil_data',
        status: 'given',
        day,
        signedByGuardian: signer,
        signedByPupil: fourteen,
        categories: null,
      });
      const r = rng.next();
      if (r < 0.6) {
        const categories = DISTRIBUTION_CATEGORIES.filter((_, i) => i === 0 || rng.chance(i === 1 ? 0.9 : i === 2 ? 0.7 : 0.4));
        out.push({ subjectKind: 'pupil', pupil: c, guardian: null, purpose: 'distribution', status: 'given', day, signedByGuardian: signer, signedByPupil: fourteen, categories });
      } else if (r < 0.65) {
        out.push({ subjectKind: 'pupil', pupil: c, guardian: null, purpose: 'distribution', status: 'refused', day, signedByGuardian: signer, signedByPupil: fourteen, categories: null });
      }
    }
    for (const g of family.guardians) {
      const day = familyDay;
      out.push({ subjectKind: 'guardian', pupil: null, guardian: g, purpose: 'guardian_data', status: 'given', day, signedByGuardian: g, signedByPupil: false, categories: null });
      out.push({
        subjectKind: 'guardian',
        pupil: null,
        guardian: g,
        purpose: 'electronic_results',
        status: family.refusesElectronic ? 'refused' : 'given',
        day,
        signedByGuardian: g,
        signedByPupil: false,
        categories: null,
      });
    }
  }
  return out;
}
