import type { ReactElement } from 'react';
import { Layout, ruDate, SchoolHead } from './layout';
import type { DocumentMeta, SchoolHeader } from './types';

// ---- Data (built by main/print/extract-loader.ts) ----

export interface WeeklyMark {
  value: string;
  /** Weight of the mark in the average; 1 is the ordinary mark and is not printed. */
  weight: number;
}

export interface WeeklyLesson {
  number: number | null;
  subject: string;
  /** For ordering the week's summary as the curriculum lists the subjects. */
  subjectOrder: number;
  topic: string;
  marks: WeeklyMark[];
  /** The journal's code as stored: «Н», «Б», «У», «О» (late), or null when present. */
  absence: string | null;
  homework: string | null;
}

export interface WeeklyExtractDay {
  date: string;
  weekday: string;
  /** False on days the pupil was not in the class (came or left mid-week). */
  member: boolean;
  lessons: WeeklyLesson[];
}

export interface WeeklySubjectSummary {
  subject: string;
  marks: string[];
  /** «4,50», or null without numeric marks. */
  average: string | null;
  missed: number;
}

export interface WeeklyAbsences {
  lessons: number;
  missed: number;
  sick: number;
  excused: number;
  unexcused: number;
  late: number;
}

export interface WeeklyExtractPupil {
  fio: string;
  birthDate: string;
  days: WeeklyExtractDay[];
  subjects: WeeklySubjectSummary[];
  absences: WeeklyAbsences;
}

export interface WeeklyExtractsData {
  school: SchoolHeader;
  classLabel: string;
  yearName: string;
  /** «И. О. Фамилия» of the class teacher, or null when the class has none. */
  teacherShort: string | null;
  from: string;
  to: string;
  printedOn: string;
  pupils: WeeklyExtractPupil[];
}

// ---- Template ----

const CSS = `
@page { size: A4 portrait; }
.school { font-size: 10pt; }
.school-address { font-size: 8pt; margin-bottom: 5pt; }
.doc-title { text-align: center; font-size: 12pt; font-weight: 700; margin: 0 0 3pt; }
.facts { margin-bottom: 4pt; font-size: 10pt; border-collapse: collapse; }
.facts td { padding: 0 6pt 0 0; vertical-align: top; }
.facts td.gap { padding-left: 8mm; }
table.grid { font-size: 8pt; line-height: 1.1; }
table.grid td, table.grid th { padding: 0.5pt 2pt; }
table.grid td.day { text-align: center; vertical-align: middle; background: #f2f2f2; }
table.grid td.code { text-align: center; font-weight: 700; }
table.grid td.marks { font-weight: 700; }
table.grid td.gap { border-top: none; border-bottom: none; width: 3mm; }
h3 { font-size: 10pt; margin: 3pt 0 1pt; }
.legend { margin-top: 2pt; font-size: 7.5pt; }
.totals { margin-top: 3pt; font-size: 9.5pt; }
.signs { margin-top: 12pt; font-size: 10pt; }
.signs .sign-row { display: flex; justify-content: space-between; gap: 8mm; margin-bottom: 6pt; white-space: nowrap; }
.signs .line { display: inline-block; width: 20mm; border-bottom: 0.75pt solid #000; margin: 0 3pt; }
.printed { font-size: 8.5pt; }
`;

/** «5» or «5 (вес 2)». */
function markText(m: WeeklyMark): string {
  return m.weight === 1 ? m.value : `${m.value} (вес ${m.weight})`;
}

const SHORT_WEEKDAYS: Record<string, string> = {
  Понедельник: 'Пн',
  Вторник: 'Вт',
  Среда: 'Ср',
  Четверг: 'Чт',
  Пятница: 'Пт',
  Суббота: 'Сб',
  Воскресенье: 'Вс',
};

/** One day: its name and date in a cell spanning its lessons (a diary's page, one row a lesson). */
function DayRows({ day }: { day: WeeklyExtractDay }): ReactElement {
  const dayCell = (rows: number) => (
    <td className="day" rowSpan={rows}>
      <b>{SHORT_WEEKDAYS[day.weekday] ?? day.weekday}</b>
      <br />
      {ruDate(day.date).slice(0, 5)}
    </td>
  );
  if (day.lessons.length === 0) {
    return (
      <tbody className="keep">
        <tr>
          {dayCell(1)}
          <td colSpan={6} className="muted">
            {day.member ? 'уроков нет' : 'не обучался(ась) в классе'}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody className="keep">
      {day.lessons.map((l, i) => (
        <tr key={`${day.date}-${i}`}>
          {i === 0 ? dayCell(day.lessons.length) : null}
          <td className="num">{l.number ?? ''}</td>
          <td>{l.subject}</td>
          <td>{l.topic}</td>
          <td className="marks">{l.marks.map(markText).join(', ')}</td>
          <td className="code">{l.absence ?? ''}</td>
          <td>{l.homework ?? ''}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** The week per subject, in two halves side by side (a week then fits on one page). */
function SummaryTable({ subjects }: { subjects: WeeklySubjectSummary[] }): ReactElement {
  const half = Math.ceil(subjects.length / 2);
  const left = subjects.slice(0, half);
  const right = subjects.slice(half);
  const cells = (s: WeeklySubjectSummary | undefined) =>
    s ? (
      <>
        <td>{s.subject}</td>
        <td className="marks">{s.marks.join(' ') || '—'}</td>
        <td className="num">{s.average ?? '—'}</td>
        <td className="num">{s.missed || '—'}</td>
      </>
    ) : (
      <>
        <td />
        <td />
        <td />
        <td />
      </>
    );
  const head = (
    <>
      <th>Предмет</th>
      <th style={{ width: '14mm' }}>Отметки</th>
      <th style={{ width: '11mm' }}>Ср. балл</th>
      <th style={{ width: '15mm' }}>Пропущено уроков</th>
    </>
  );
  return (
    <table className="grid">
      <thead>
        <tr>
          {head}
          <td className="gap" />
          {head}
        </tr>
      </thead>
      <tbody>
        {left.map((s, i) => (
          <tr key={s.subject}>
            {cells(s)}
            <td className="gap" />
            {cells(right[i])}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PupilExtract({ data, pupil, first }: { data: WeeklyExtractsData; pupil: WeeklyExtractPupil; first: boolean }): ReactElement {
  const a = pupil.absences;
  return (
    <section className={first ? 'extract' : 'extract page-break'}>
      <SchoolHead school={data.school} />
      <div className="doc-title">
        Выписка из электронного журнала за неделю с {ruDate(data.from).slice(0, 5)} по {ruDate(data.to)}
      </div>
      <table className="facts">
        <tbody>
          <tr>
            <td>Обучающийся:</td>
            <td>
              <b>{pupil.fio}</b>, {ruDate(pupil.birthDate)} г. р.
            </td>
            <td className="gap">Класс:</td>
            <td>
              <b>{data.classLabel}</b>, {data.yearName} уч. год
            </td>
          </tr>
        </tbody>
      </table>
      <table className="grid">
        <thead>
          <tr>
            <th style={{ width: '9mm' }}>День</th>
            <th className="num" style={{ width: '6mm' }}>
              №
            </th>
            <th style={{ width: '29mm' }}>Предмет</th>
            <th>Тема урока</th>
            <th style={{ width: '12mm' }}>Отметки</th>
            <th style={{ width: '11mm' }}>Пропуск</th>
            <th style={{ width: '37mm' }}>Домашнее задание</th>
          </tr>
        </thead>
        {pupil.days.map((day) => (
          <DayRows key={day.date} day={day} />
        ))}
      </table>
      <div className="legend">Пропуск: Н — без уважительной причины, Б — по болезни, У — по уважительной причине, О — опоздание.</div>
      <div className="keep">
        <h3>Итоги недели</h3>
        {pupil.subjects.length > 0 ? <SummaryTable subjects={pupil.subjects} /> : null}
        <div className="totals">
          Уроков за неделю: {a.lessons}; пропущено: {a.missed}, в том числе по болезни {a.sick}, по уважительной причине {a.excused}, без уважительной
          причины {a.unexcused}; опозданий: {a.late}.
        </div>
      </div>
      <div className="signs keep">
        <div className="sign-row">
          <span>
            Классный руководитель <span className="line" /> / {data.teacherShort ?? <span className="line" />} /
          </span>
          <span>
            Подпись родителя <span className="line" /> / <span className="line" /> /
          </span>
        </div>
        <div className="printed">Дата печати: {ruDate(data.printedOn)}</div>
      </div>
    </section>
  );
}

/** Weekly extracts of a class: one block per pupil, each from a new page. */
export function WeeklyExtractsDocument({ data, meta, fontCss }: { data: WeeklyExtractsData; meta: DocumentMeta; fontCss: string }): ReactElement {
  return (
    <Layout meta={meta} fontCss={fontCss} css={CSS}>
      {data.pupils.map((p, i) => (
        <PupilExtract key={`${p.fio}-${i}`} data={data} pupil={p} first={i === 0} />
      ))}
    </Layout>
  );
}
