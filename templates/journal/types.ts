/**
 * The plain data of the class journal's and the summary ledgers' templates, built by the loaders
 * in main/print/journal/ and main/print/ledgers/. Dates are ISO; the templates format them.
 */

/** A pupil as a row of a grid: numbered, «Фамилия Имя», with a note when they joined or left during the year. */
export interface RowPupil {
  number: number;
  name: string;
  /** «прибыл 20.10.2025», «выбыл 15.04.2026», or null for the whole year. */
  note: string | null;
}

/** A column of the marks-and-attendance grid: one lesson. */
export interface GridColumn {
  date: string;
}

/** The marks-and-attendance grid of one subject (or group): pupils × lessons. */
export interface MarksGridData {
  title: string;
  pupils: RowPupil[];
  columns: GridColumn[];
  /** cells[pupil][column]: «5 4», «н», «б», «о 5», or ''. */
  cells: string[][];
  /** outside[pupil][column]: the pupil was not in the class (group) on the lesson's day. */
  outside: boolean[][];
}

/** A row of the lessons pages. */
export interface LessonLine {
  date: string;
  lessonNumber: number | null;
  topic: string;
  homework: string | null;
  /** «Фамилия И. О.». */
  teacher: string;
  /** The substitute's «Фамилия И. О.», or null. */
  substitute: string | null;
}

/** One subject (or one group of a split subject) of the journal. */
export interface JournalSubjectData {
  heading: string;
  grid: MarksGridData;
  lessons: LessonLine[];
}

/** A column set of a final-marks table: one period, the year, the exam or the final mark. */
export interface FinalMarksTable {
  /** «1 четверть», «Год», «Экзамен», «Итоговая». */
  title: string;
  subjects: { name: string; shortName: string }[];
  /** values[pupil][subject]: '5', 'зач', 'н/а', 'осв' or ''. */
  values: string[][];
}

export interface FinalMarksData {
  pupils: RowPupil[];
  tables: FinalMarksTable[];
}

/** Missed lessons of a pupil (or a class) over some span. */
export interface MissedCounts {
  /** Missed lessons: Н + Б + У. */
  missed: number;
  sick: number;
  excused: number;
  unexcused: number;
  /** Late arrivals (О): not counted as missed. */
  late: number;
}

export interface AttendanceSummaryData {
  /** The class's periods («1 четверть» …). */
  periods: string[];
  pupils: RowPupil[];
  /** rows[pupil]: per period, then the year. */
  byPeriod: MissedCounts[][];
  year: MissedCounts[];
  classByPeriod: MissedCounts[];
  classYear: MissedCounts;
}

/** What the journal's title page shows. */
export interface JournalTitleData {
  schoolName: string;
  schoolAddress: string;
  classLabel: string;
  yearName: string;
  classTeacher: string | null;
  dateFrom: string;
  dateTo: string;
  /** The subjects with their teachers and the number of lessons given. */
  subjects: { name: string; teachers: string; lessons: number }[];
  pupils: number;
}

/** The title page of a summary ledger. */
export interface LedgerTitleData {
  schoolName: string;
  schoolAddress: string;
  /** «СВОДНАЯ ВЕДОМОСТЬ ИТОГОВЫХ ОТМЕТОК». */
  title: string;
  yearName: string;
  /** «5А класс» or «1А–11Б классы». */
  scope: string;
  dateFrom: string;
  dateTo: string;
  classes: number;
}

/** Counts of the values of one subject in a final-marks table, for the ledger. */
export interface SubjectMarkCounts {
  five: number;
  four: number;
  three: number;
  two: number;
  notCertified: number;
  /** Share of 4 and 5 among the numeric and «н/а» marks, %, or null when none. */
  quality: number | null;
  /** Share of marks above 2 (not «н/а») among them, %, or null when none. */
  success: number | null;
}

/** A final-marks table of the ledger: the table plus counts per subject and the class's shares. */
export interface LedgerFinalMarksTable extends FinalMarksTable {
  counts: SubjectMarkCounts[];
  /** Pupils with marks in the table whose marks are all 4 and 5 (or «зач»/«осв»), % of those pupils. */
  classQuality: number | null;
  /** Pupils without a 2 or «н/а», % of those pupils. */
  classSuccess: number | null;
  /** Pupils with at least one mark in the table. */
  pupilsWithMarks: number;
}

export interface FinalMarksLedgerClass {
  heading: string;
  pupils: RowPupil[];
  tables: LedgerFinalMarksTable[];
}

export interface AttendanceLedgerClass {
  heading: string;
  /** «сент.», «окт.» … (the months with lessons). */
  months: string[];
  pupils: RowPupil[];
  byMonth: MissedCounts[][];
  year: MissedCounts[];
  classByMonth: MissedCounts[];
  classYear: MissedCounts;
}

export interface MovementLine {
  name: string;
  date: string;
  /** «прибыл из …», «переведён из 5Б», «выбыл: перевод в …». */
  detail: string;
  /** «№ 12-у от 20.10.2025», or '' without an order. */
  order: string;
}

export interface MovementLedgerClass {
  heading: string;
  /** The class's first and last day in the year counted. */
  from: string;
  to: string;
  atStart: number;
  arrivals: MovementLine[];
  departures: MovementLine[];
  atEnd: number;
}

export interface MovementTotalsRow {
  classLabel: string;
  atStart: number;
  arrived: number;
  left: number;
  atEnd: number;
}
