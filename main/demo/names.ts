import type { Random } from './random';

/**
 * Russian personal names for the demo school: surnames with their male and female forms,
 * first names of children and of adults, and patronymics built from the father's name.
 */

export type Gender = 'м' | 'ж';

/** Male forms; the female form follows the usual endings (see `surnameFor`). */
const SURNAMES: readonly string[] = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
  'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
  'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
  'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
  'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
  'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
  'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
  'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
  'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
  'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков', 'Колесников', 'Гончаров',
  'Емельянов', 'Никифоров', 'Грачёв', 'Котов', 'Гришин', 'Ефремов', 'Архипов', 'Громов', 'Кириллов', 'Малышев',
  'Панов', 'Моисеев', 'Румянцев', 'Акимов', 'Кондратьев', 'Бирюков', 'Горбунов', 'Анисимов', 'Ерёмин', 'Тихомиров',
  'Галкин', 'Лукьянов', 'Михеев', 'Скворцов', 'Юдин', 'Белоусов', 'Нестеров', 'Симонов', 'Прокофьев', 'Харитонов',
  'Князев', 'Цветков', 'Левин', 'Митрофанов', 'Воронцов', 'Агафонов', 'Уваров', 'Шестаков', 'Шубин', 'Эйсфельд',
  'Ёлкин', 'Ёжиков', 'Шевченко', 'Бондаренко', 'Ткаченко', 'Черных', 'Седых', 'Долгих', 'Белых', 'Жуковский',
  'Покровский', 'Успенский', 'Троицкий', 'Толстой', 'Яблонский', 'Хабибуллин', 'Гарипов', 'Юсупов', 'Оленев', 'Щукин',
];

const BOY_NAMES: readonly string[] = [
  'Александр', 'Максим', 'Артём', 'Михаил', 'Иван', 'Дмитрий', 'Кирилл', 'Матвей', 'Даниил', 'Егор',
  'Никита', 'Илья', 'Андрей', 'Алексей', 'Тимофей', 'Роман', 'Марк', 'Лев', 'Владимир', 'Сергей',
  'Ярослав', 'Фёдор', 'Арсений', 'Степан', 'Глеб', 'Константин', 'Николай', 'Тимур', 'Богдан', 'Захар',
  'Семён', 'Павел', 'Савва', 'Макар', 'Мирон', 'Платон', 'Вадим', 'Денис', 'Евгений', 'Георгий',
  'Всеволод', 'Игорь', 'Антон', 'Григорий', 'Елисей', 'Демид', 'Ринат', 'Эмиль',
];

const GIRL_NAMES: readonly string[] = [
  'Анастасия', 'Мария', 'Анна', 'Дарья', 'София', 'Алиса', 'Виктория', 'Полина', 'Елизавета', 'Екатерина',
  'Ксения', 'Варвара', 'Александра', 'Вероника', 'Арина', 'Валерия', 'Ульяна', 'Кира', 'Милана', 'Ева',
  'Василиса', 'Маргарита', 'Злата', 'Таисия', 'Алёна', 'Юлия', 'Софья', 'Диана', 'Есения', 'Ангелина',
  'Кристина', 'Карина', 'Ольга', 'Татьяна', 'Евгения', 'Вера', 'Надежда', 'Мирослава', 'Агата', 'Яна',
  'Эвелина', 'Ярослава', 'Лилия', 'Камила',
];

const MAN_NAMES: readonly string[] = [
  'Александр', 'Сергей', 'Дмитрий', 'Андрей', 'Алексей', 'Евгений', 'Максим', 'Иван', 'Денис', 'Михаил',
  'Владимир', 'Павел', 'Николай', 'Роман', 'Артём', 'Константин', 'Игорь', 'Виталий', 'Антон', 'Олег',
  'Юрий', 'Василий', 'Виктор', 'Анатолий', 'Вячеслав', 'Илья', 'Никита', 'Кирилл', 'Егор', 'Руслан',
  'Станислав', 'Валерий', 'Геннадий', 'Пётр', 'Григорий', 'Лев', 'Фёдор', 'Степан', 'Георгий', 'Тимур',
  'Вадим', 'Леонид', 'Борис', 'Ярослав', 'Глеб', 'Матвей', 'Аркадий', 'Эдуард', 'Семён', 'Кузьма', 'Яков',
];

const WOMAN_NAMES: readonly string[] = [
  'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Анна', 'Екатерина', 'Юлия', 'Мария',
  'Марина', 'Анастасия', 'Евгения', 'Оксана', 'Людмила', 'Галина', 'Надежда', 'Вера', 'Любовь', 'Валентина',
  'Алёна', 'Дарья', 'Ксения', 'Виктория', 'Александра', 'Лариса', 'Нина', 'Жанна', 'Кристина', 'Яна',
  'Елизавета', 'Полина', 'Инна', 'Олеся', 'Валерия', 'Маргарита',
];

const cumulative = new WeakMap<readonly string[], Float64Array>();

/**
 * Zipf-like: the first names of a list are the most common ones. `offset` flattens the curve
 * (with 30 the most common surname gets under 2 %, as Иванов does in Russia).
 */
function pickCommon(rng: Random, names: readonly string[], offset: number): string {
  let sums = cumulative.get(names);
  if (!sums) {
    sums = new Float64Array(names.length);
    let total = 0;
    for (let i = 0; i < names.length; i += 1) sums[i] = total += 1 / (i + offset);
    cumulative.set(names, sums);
  }
  const target = rng.next() * (sums[sums.length - 1] ?? 0);
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sums[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return names[lo] as string;
}

export function pickSurname(rng: Random): string {
  return pickCommon(rng, SURNAMES, 30);
}

export function pickChildName(rng: Random, gender: Gender): string {
  return pickCommon(rng, gender === 'м' ? BOY_NAMES : GIRL_NAMES, 8);
}

export function pickAdultName(rng: Random, gender: Gender): string {
  return pickCommon(rng, gender === 'м' ? MAN_NAMES : WOMAN_NAMES, 8);
}

/** The surname in the person's gender: Иванов → Иванова, Жуковский → Жуковская, Черных → Черных. */
export function surnameFor(male: string, gender: Gender): string {
  if (gender === 'м') return male;
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return `${male}а`;
  if (/(ский|цкий)$/.test(male)) return `${male.slice(0, -2)}ая`;
  if (/(ой|ый)$/.test(male)) return `${male.slice(0, -2)}ая`;
  return male;
}

const SPECIAL_PATRONYMICS: Readonly<Record<string, readonly [string, string]>> = {
  Илья: ['Ильич', 'Ильинична'],
  Никита: ['Никитич', 'Никитична'],
  Кузьма: ['Кузьмич', 'Кузьминична'],
  Фома: ['Фомич', 'Фоминична'],
  Лука: ['Лукич', 'Лукинична'],
  Савва: ['Саввич', 'Саввична'],
  Лев: ['Львович', 'Львовна'],
  Павел: ['Павлович', 'Павловна'],
  Пётр: ['Петрович', 'Петровна'],
  Михаил: ['Михайлович', 'Михайловна'],
  Дмитрий: ['Дмитриевич', 'Дмитриевна'],
  Георгий: ['Георгиевич', 'Георгиевна'],
  Яков: ['Яковлевич', 'Яковлевна'],
};

/**
 * The patronymic from the father's first name: Иван → Иванович / Ивановна, Сергей → Сергеевич /
 * Сергеевна, Евгений → Евгеньевич / Евгеньевна, Игорь → Игоревич, Илья → Ильич / Ильинична,
 * Никита → Никитич / Никитична, Лев → Львович, Павел → Павлович, Пётр → Петрович.
 */
export function patronymic(fatherName: string, gender: Gender): string {
  const special = SPECIAL_PATRONYMICS[fatherName];
  const male = gender === 'м';
  if (special) return male ? special[0] : special[1];
  if (fatherName.endsWith('ий')) return fatherName.slice(0, -2) + (male ? 'ьевич' : 'ьевна');
  if (/[еаоу]й$/.test(fatherName) || fatherName.endsWith('ь')) return fatherName.slice(0, -1) + (male ? 'евич' : 'евна');
  if (/[ая]$/.test(fatherName)) return fatherName.slice(0, -1) + (male ? 'ич' : 'ична');
  if (/[жшчщц]$/.test(fatherName)) return fatherName + (male ? 'евич' : 'евна');
  return fatherName + (male ? 'ович' : 'овна');
}

const ALPHABET = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
const ORDER = new Map<string, number>([...ALPHABET].map((ch, i) => [ch, i]));

/** Russian alphabetical order with Ё as its own letter after Е; independent of the ICU build. */
export function compareRu(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const ca = a[i]?.toUpperCase() ?? '';
    const cb = b[i]?.toUpperCase() ?? '';
    if (ca === cb) continue;
    const oa = ORDER.get(ca);
    const ob = ORDER.get(cb);
    if (oa !== undefined && ob !== undefined) return oa - ob;
    if (oa !== undefined) return 1;
    if (ob !== undefined) return -1;
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length;
}

/** The page of the alphabet book: the first letter of the surname, Ё kept apart from Е. */
export function alphabetLetter(surname: string): string {
  return (surname[0] ?? '?').toUpperCase();
}

const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Latin letters for e-mail addresses: 'Фёдоров' → 'fedorov'. */
export function translit(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '');
  return out;
}
