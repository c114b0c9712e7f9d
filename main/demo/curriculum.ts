/**
 * Subjects and weekly hours per parallel, after the federal curricula (ФОП НОО, ООО, СОО) for a
 * five-day week, trimmed so that no day has more than 6 lessons in classes 1–9 (1st class: 20
 * hours). Hours are indexed by parallel − 1.
 */

export type Speciality =
  | 'primary'
  | 'russian'
  | 'math'
  | 'english'
  | 'informatics'
  | 'history'
  | 'geography'
  | 'biology'
  | 'chemistry'
  | 'physics'
  | 'pe'
  | 'music'
  | 'art'
  | 'technology'
  | 'safety';

/** The position of a teacher of the speciality, as the staff list writes it. */
export const SPECIALITY_POSITIONS: Readonly<Record<Speciality, string>> = {
  primary: 'учитель начальных классов',
  russian: 'учитель русского языка и литературы',
  math: 'учитель математики',
  english: 'учитель английского языка',
  informatics: 'учитель информатики',
  history: 'учитель истории и обществознания',
  geography: 'учитель географии',
  biology: 'учитель биологии',
  chemistry: 'учитель химии',
  physics: 'учитель физики',
  pe: 'учитель физической культуры',
  music: 'учитель музыки',
  art: 'учитель изобразительного искусства',
  technology: 'учитель труда (технологии)',
  safety: 'преподаватель-организатор ОБЗР',
};

export type HomeworkStyle = 'exercises' | 'problems' | 'paragraph' | 'reading' | 'english' | 'informatics' | 'none';

export interface SubjectDef {
  key: string;
  name: string;
  shortName: string;
  part: 'federal' | 'school';
  /** Who teaches it in classes 5–11 (and in 1–4 unless `primaryTeacher`). */
  speciality: Speciality;
  /** In classes 1–4 the class's own primary teacher teaches it. */
  primaryTeacher: boolean;
  /** Marked with numbers; otherwise безотметочный (final mark «зач»). */
  graded: boolean;
  /** Split into two groups in classes big enough. */
  split: boolean;
  homework: HomeworkStyle;
  /** The word for a lesson where every pupil is tested, or null. */
  test: string | null;
  hours: readonly number[];
}

//                                                  1  2  3  4  5  6  7  8  9 10 11
export const SUBJECTS: readonly SubjectDef[] = [
  def('ru', 'Русский язык', 'Рус. яз.', 'russian', true, 'exercises', 'Контрольный диктант', [5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2]),
  def('litr', 'Литературное чтение', 'Лит. чт.', 'primary', true, 'reading', 'Проверочная работа', [4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0]),
  def('lit', 'Литература', 'Лит-ра', 'russian', false, 'reading', 'Сочинение', [0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3]),
  { ...def('en', 'Иностранный язык (английский)', 'Англ. яз.', 'english', false, 'english', 'Контрольная работа', [0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]), split: true },
  def('math', 'Математика', 'Матем.', 'math', true, 'problems', 'Контрольная работа', [4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0]),
  def('alg', 'Алгебра', 'Алгебра', 'math', false, 'problems', 'Контрольная работа', [0, 0, 0, 0, 0, 0, 3, 3, 3, 4, 4]),
  def('geom', 'Геометрия', 'Геометрия', 'math', false, 'problems', 'Контрольная работа', [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2]),
  def('prob', 'Вероятность и статистика', 'Вер. и стат.', 'math', false, 'problems', null, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
  { ...def('inf', 'Информатика', 'Информ.', 'informatics', false, 'informatics', null, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), split: true },
  def('okr', 'Окружающий мир', 'Окр. мир', 'primary', true, 'paragraph', 'Проверочная работа', [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0]),
  { ...def('orkse', 'Основы религиозных культур и светской этики', 'ОРКСЭ', 'primary', true, 'none', null, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), graded: false },
  def('hist', 'История', 'История', 'history', false, 'paragraph', 'Контрольная работа', [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2]),
  def('soc', 'Обществознание', 'Общество', 'history', false, 'paragraph', null, [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2]),
  def('geo', 'География', 'География', 'geography', false, 'paragraph', 'Практическая работа', [0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1]),
  def('bio', 'Биология', 'Биология', 'biology', false, 'paragraph', 'Лабораторная работа', [0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1]),
  def('phys', 'Физика', 'Физика', 'physics', false, 'paragraph', 'Лабораторная работа', [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2]),
  def('chem', 'Химия', 'Химия', 'chemistry', false, 'paragraph', 'Практическая работа', [0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1]),
  {
    ...def('odnk', 'Основы духовно-нравственной культуры народов России', 'ОДНКНР', 'history', false, 'none', null, [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]),
    graded: false,
  },
  def('art', 'Изобразительное искусство', 'ИЗО', 'art', true, 'none', null, [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]),
  def('music', 'Музыка', 'Музыка', 'music', false, 'none', null, [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]),
  def('tech', 'Труд (технология)', 'Труд', 'technology', true, 'none', null, [1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0]),
  def('obzr', 'Основы безопасности и защиты Родины', 'ОБЗР', 'safety', false, 'paragraph', null, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]),
  def('pe', 'Физическая культура', 'Физ-ра', 'pe', false, 'none', 'Сдача нормативов', [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
  def('proj', 'Индивидуальный проект', 'Инд. проект', 'history', false, 'none', null, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
  { ...def('fg', 'Функциональная грамотность', 'Функц. грам.', 'math', true, 'problems', null, [0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0]), part: 'school' },
  { ...def('fin', 'Финансовая грамотность', 'Фин. грам.', 'history', false, 'paragraph', null, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), part: 'school' },
];

function def(
  key: string,
  name: string,
  shortName: string,
  speciality: Speciality,
  primaryTeacher: boolean,
  homework: HomeworkStyle,
  test: string | null,
  hours: readonly number[],
): SubjectDef {
  return { key, name, shortName, part: 'federal', speciality, primaryTeacher, graded: true, split: false, homework, test, hours };
}

/** Pupils a class needs at the start of the year to be split into groups for a subject. */
export const SPLIT_MIN_PUPILS = 16;

export function hoursIn(subject: SubjectDef, parallel: number): number {
  return subject.hours[parallel - 1] ?? 0;
}

/** The speciality of the teacher of the subject in the parallel. */
export function teacherSpeciality(subject: SubjectDef, parallel: number): Speciality {
  return parallel <= 4 && subject.primaryTeacher ? 'primary' : subject.speciality;
}

/** At most this many lessons a day. */
export function maxLessonsPerDay(parallel: number): number {
  if (parallel === 1) return 5;
  return parallel >= 10 ? 7 : 6;
}
