/**
 * The data the print templates receive: plain, already chosen and sorted by the loaders in
 * main/print/. Dates are ISO ('YYYY-MM-DD'); the templates format them.
 */

/** What goes into the PDF's metadata (Chromium takes it from <title> and <meta>). */
export interface DocumentMeta {
  title: string;
  /** The school's name. */
  author: string;
  subject: string;
  keywords: string[];
}

export interface SchoolHeader {
  name: string;
  address: string;
  /** «И. О. Фамилия» for the signature line, or '' when unknown. */
  directorShort: string;
}

/** A pupil as printed in a list. */
export interface PupilLine {
  fio: string;
  birthDate: string;
  /** «К/15», or null when the pupil has no alphabet-book entry. */
  fileNumber: string | null;
}

// ---- Order (приказ) ----

export interface OrderPupilRow extends PupilLine {
  /** «5А», «5А → 5Б», or null when the register does not know the class. */
  classLabel: string | null;
  /** Where from / where to and why, or a note. */
  detail: string | null;
}

export interface OrderData {
  school: SchoolHeader;
  number: string;
  date: string;
  title: string;
  body: string;
  /** The heading of the last column: «Откуда прибыл», «Куда выбыл, причина», «Примечание». */
  detailHeading: string;
  pupils: OrderPupilRow[];
}

// ---- Alphabet book ----

export interface AlphabetPeriod {
  admission: { date: string; number: string | null } | null;
  /** Class at admission («5А»); `classIsLater` marks the first class the register knows instead. */
  classLabel: string | null;
  classIsLater: boolean;
  arrivedFrom: string | null;
  leave: { date: string; number: string | null } | null;
  /** «куда выбыл; причина». */
  leftTo: string | null;
}

export interface AlphabetGuardian {
  fio: string;
  kinship: string;
  phone: string | null;
}

export interface AlphabetEntry {
  number: number;
  fileNumber: string;
  fio: string;
  birthDate: string;
  address: string | null;
  guardians: AlphabetGuardian[];
  /** Every stay at the school, oldest first (a re-admitted pupil keeps one entry). */
  periods: AlphabetPeriod[];
}

export interface AlphabetLetter {
  letter: string;
  entries: AlphabetEntry[];
}

export interface AlphabetBookData {
  school: SchoolHeader;
  /** The date of the printout. */
  printedOn: string;
  /** Set when one letter only is printed. */
  onlyLetter: string | null;
  letters: AlphabetLetter[];
}

// ---- Class list ----

export interface ClassListData {
  school: SchoolHeader;
  classLabel: string;
  yearName: string;
  teacher: string | null;
  date: string;
  pupils: PupilLine[];
}

// ---- Extract of current marks ----

export interface ExtractPeriod {
  id: number;
  name: string;
}

export interface ExtractMonth {
  /** 'YYYY-MM'. */
  key: string;
  /** «сен.», «окт.» … */
  label: string;
}

export interface ExtractSubject {
  name: string;
  /** Current marks by month key, in date order. */
  marksByMonth: Record<string, string[]>;
  /** Period marks by period id. */
  periodMarks: Record<number, string>;
  /** The year mark, when already given. */
  yearMark: string | null;
  /** Lessons missed in the subject. */
  missed: number;
}

export interface ExtractAttendance {
  lessons: number;
  missed: number;
  sick: number;
  excused: number;
  unexcused: number;
  /** Late arrivals (not counted as missed). */
  late: number;
}

export interface MarksExtractData {
  school: SchoolHeader;
  pupil: PupilLine;
  classLabel: string | null;
  yearName: string;
  /** First day counted and the day the marks are counted up to. */
  from: string;
  date: string;
  /** The day the extract is issued (printed). */
  issuedOn: string;
  periods: ExtractPeriod[];
  months: ExtractMonth[];
  subjects: ExtractSubject[];
  attendance: ExtractAttendance;
}
