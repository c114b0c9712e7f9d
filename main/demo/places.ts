import type { Random } from './random';

/** Addresses in Krasnoyarsk (the school's own microdistrict first), other schools, registry offices. */

const CITY = 'Красноярский край, г. Красноярск';

/** Streets near the school (Советский район), with their postal codes. */
const NEAR_STREETS: readonly (readonly [string, string])[] = [
  ['ул. Взлётная', '660135'],
  ['ул. 78 Добровольческой Бригады', '660118'],
  ['ул. Весны', '660077'],
  ['ул. Молокова', '660077'],
  ['ул. Авиаторов', '660118'],
  ['ул. Алексеева', '660077'],
  ['ул. Батурина', '660077'],
  ['ул. 9 Мая', '660098'],
  ['ул. Урванцева', '660098'],
  ['ул. Водопьянова', '660125'],
  ['пр-т Комсомольский', '660118'],
  ['ул. Шумяцкого', '660118'],
  ['ул. Мате Залки', '660113'],
  ['ул. Светлогорская', '660135'],
];

/** Streets elsewhere in the city, for families who moved or are registered elsewhere. */
const CITY_STREETS: readonly (readonly [string, string])[] = [
  ['ул. Партизана Железняка', '660022'],
  ['пр-т Мира', '660049'],
  ['ул. Ленина', '660017'],
  ['ул. Карла Маркса', '660049'],
  ['пр-т Свободный', '660041'],
  ['ул. Академика Киренского', '660074'],
  ['ул. Копылова', '660001'],
  ['ул. Дмитрия Мартынова', '660094'],
  ['ул. Ястынская', '660131'],
  ['ул. Воронова', '660131'],
  ['ул. Шахтёров', '660094'],
  ['пр-т имени газеты «Красноярский рабочий»', '660095'],
];

function house(rng: Random): string {
  const n = rng.int(1, 60);
  const suffix = rng.weighted<string>([
    ['', 20],
    ['а', 3],
    ['б', 1],
    [`, корп. ${rng.int(1, 3)}`, 2],
    [`, стр. ${rng.int(1, 2)}`, 0.5],
  ]);
  return `д. ${n}${suffix}`;
}

/** A flat in the city; `near` puts it in the school's microdistrict. */
export function cityAddress(rng: Random, near: boolean): string {
  const [street, index] = rng.pick(near ? NEAR_STREETS : CITY_STREETS);
  const flat = rng.chance(0.93) ? `, кв. ${rng.int(1, 280)}` : '';
  return `${index}, ${CITY}, ${street}, ${house(rng)}${flat}`;
}

export function schoolAddress(rng: Random): string {
  const [street, index] = rng.pick(NEAR_STREETS);
  return `${index}, ${CITY}, ${street}, д. ${rng.int(2, 40)}`;
}

/** Schools pupils come from or leave for. */
export const OTHER_SCHOOLS: readonly string[] = [
  'МБОУ «Средняя школа № 45» г. Красноярска',
  'МАОУ «Средняя школа № 151» г. Красноярска',
  'МАОУ «Лицей № 7» г. Красноярска',
  'МАОУ «Гимназия № 13 «Академ» г. Красноярска',
  'МБОУ «Средняя школа № 144» г. Красноярска',
  'МАОУ «Средняя школа № 143» г. Красноярска',
  'МБОУ «Средняя школа № 3» г. Ачинска',
  'МБОУ «Средняя школа № 1» г. Канска',
  'МБОУ «Средняя школа № 95» г. Железногорска',
  'МАОУ «Средняя школа № 1» г. Норильска',
  'МБОУ «Емельяновская средняя школа № 1»',
  'МБОУ «Дивногорская средняя школа № 2»',
  'МБОУ «Средняя школа № 12» г. Лесосибирска',
  'МБОУ «Средняя школа № 24» г. Абакана',
  'МБОУ «Средняя общеобразовательная школа № 12» г. Новосибирска',
  'МАОУ «Лицей № 2» г. Томска',
];

/** Where a family that moves away goes. */
export const OTHER_TOWNS: readonly string[] = [
  'г. Новосибирск',
  'г. Иркутск',
  'г. Томск',
  'г. Абакан',
  'г. Москва',
  'г. Санкт-Петербург',
  'г. Ачинск',
  'г. Норильск',
  'г. Канск',
  'Емельяновский район Красноярского края',
];

const ZAGS_DISTRICTS: readonly string[] = [
  'Советскому району г. Красноярска',
  'Октябрьскому району г. Красноярска',
  'Центральному району г. Красноярска',
  'Железнодорожному району г. Красноярска',
  'Ленинскому району г. Красноярска',
  'Свердловскому району г. Красноярска',
  'Кировскому району г. Красноярска',
];

/** The registry office (ЗАГС) that issued a birth certificate. */
export function zagsIssuer(rng: Random): string {
  if (rng.chance(0.12)) return rng.pick(['Дворец бракосочетания г. Красноярска', 'Отдел ЗАГС администрации г. Ачинска', 'Отдел ЗАГС администрации г. Канска']);
  return `Территориальный отдел агентства записи актов гражданского состояния Красноярского края по ${rng.pick(ZAGS_DISTRICTS)}`;
}

/** Regions of passports issued outside the Krasnoyarsk krai, by the first two digits of the series. */
export const PASSPORT_REGIONS: Readonly<Record<string, string>> = {
  '01': 'Алтайскому краю',
  '25': 'Иркутской области',
  '45': 'г. Москве',
  '50': 'Новосибирской области',
  '95': 'Республике Хакасия',
  '98': 'Республике Саха (Якутия)',
};

/** The body that issued a Russian passport, by region code and year of issue (the FMS existed 2005–2016). */
export function passportIssuer(rng: Random, year: number, region = '04'): string {
  const elsewhere = PASSPORT_REGIONS[region];
  if (elsewhere) return year >= 2017 ? `ГУ МВД России по ${elsewhere}` : year >= 2006 ? `УФМС России по ${elsewhere}` : `УВД по ${elsewhere}`;
  if (year >= 2017) return 'ГУ МВД России по Красноярскому краю';
  if (year >= 2006) {
    return `Отделом УФМС России по Красноярскому краю в ${rng.pick(['Советском', 'Октябрьском', 'Центральном', 'Ленинском', 'Кировском'])} районе г. Красноярска`;
  }
  return `${rng.pick(['Советским', 'Октябрьским', 'Центральным', 'Ленинским'])} РУВД г. Красноярска`;
}
