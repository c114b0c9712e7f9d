import { columnLetter } from '../../../common/exchange/mapping';
import type { RawCell, SheetRow } from '../read';

/**
 * The layout of the e-journal's «Отчёт об успеваемости и посещаемости ученика (весь класс)»
 * (formats.md, `journal-report`): one block per pupil, each introduced by its own rows
 * «Учебный год: 2025/2026», «Класс: 8А», «Период: с … по …», «Ученик: ФИО»; then a header row
 * «Предмет» + month names (merged over the month's day columns; readers repeat the name in
 * every cell of the merge), a row of day numbers, and one row per subject. A cell holds marks
 * (1–5) and attendance codes (Н, Б, У, О), several joined by «/» or spaces. September to
 * December belong to the first year of the school year, January to August to the second.
 *
 * Pure: rows in, entries and problems out. Matching pupils and subjects to the register is
 * the importer's job; nothing here invents either.
 */

export type AttendanceCode = 'Н' | 'Б' | 'У' | 'О';

export interface JournalBlock {
  /** Row of «Ученик: …» as the file shows it. */
  row: number;
  year: string;
  classLabel: string;
  period: { from: string; to: string } | null;
  pupil: { lastName: string; firstName: string; middleName: string | null };
  subjects: string[];
  marks: { row: number; column: number; subject: string; date: string; value: number }[];
  attendance: { row: number; column: number; subject: string; date: string; code: AttendanceCode }[];
}

export interface JournalProblem {
  row: number;
  column: string;
  reason: string;
}

export interface JournalReport {
  blocks: JournalBlock[];
  problems: JournalProblem[];
}

const MONTHS: Record<string, number> = {
  январь: 1, февраль: 2, март: 3, апрель: 4, май: 5, июнь: 6, июль: 7, август: 8, сентябрь: 9, октябрь: 10, ноябрь: 11, декабрь: 12,
};
const SUMMARY_HEADERS = ['средняя оценка', 'средневзвешенный балл', 'итоговая оценка за период'];
const CODES = new Set<AttendanceCode>(['Н', 'Б', 'У', 'О']);

const text = (cell: RawCell | undefined): string => {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.date;
  return String(cell).replace(/\u00a0/g, ' ').trim();
};
const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

/** «Учебный год: 2025/2026» → «2025/2026» (the label is matched loosely: case, ё, spaces). */
function labelled(row: SheetRow, label: string): string | null {
  const first = row.cells.map(text).find((t) => t !== '') ?? '';
  const m = /^([^:]+):\s*(.*)$/.exec(first);
  if (!m || norm(m[1]!) !== norm(label)) return null;
  return m[2]!.trim();
}

function ruDateToIso(s: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}


export function parseJournalReport(rows: readonly SheetRow[]): JournalReport {
  const blocks: JournalBlock[] = [];
  const problems: JournalProblem[] = [];
  let i = 0;
  while (i < rows.length) {
    const yearText = labelled(rows[i]!, 'Учебный год');
    if (yearText === null) {
      i += 1;
      continue;
    }
    const start = rows[i]!;
    const yearMatch = /^(\d{4})\/(\d{4})$/.exec(yearText);
    if (!yearMatch || Number(yearMatch[2]) !== Number(yearMatch[1]) + 1) {
      problems.push({ row: start.row, column: 'Учебный год', reason: `учебный год «${yearText}» записан непонятно: ожидается, например, 2025/2026` });
      i += 1;
      continue;
    }
    const meta: Record<string, string> = {};
    let j = i + 1;
    for (; j < rows.length && j <= i + 4; j += 1) {
      const r = rows[j]!;
      const found = (['Класс', 'Период', 'Ученик'] as const).find((l) => labelled(r, l) !== null);
      if (!found) break;
      meta[found] = labelled(r, found)!;
    }
    const pupilRow = rows[j - 1]!;
    if (!meta['Класс'] || !meta['Ученик']) {
      problems.push({ row: start.row, column: meta['Класс'] ? 'Ученик' : 'Класс', reason: 'блок ученика без строки «Класс:» или «Ученик:»' });
      i = j;
      continue;
    }
    const nameParts = meta['Ученик'].split(/\s+/).filter(Boolean);
    if (nameParts.length < 2) {
      problems.push({ row: pupilRow.row, column: 'Ученик', reason: `ФИО «${meta['Ученик']}»: нужны хотя бы фамилия и имя` });
      i = j;
      continue;
    }
    let period: JournalBlock['period'] = null;
    if (meta['Период']) {
      const pm = /с\s+(\S+)\s+по\s+(\S+)/i.exec(meta['Период']);
      const from = pm ? ruDateToIso(pm[1]!) : null;
      const to = pm ? ruDateToIso(pm[2]!) : null;
      if (from && to && from <= to) period = { from, to };
      else problems.push({ row: rows[j - 2]?.row ?? start.row, column: 'Период', reason: `период «${meta['Период']}» записан непонятно: ожидается «с ДД.ММ.ГГГГ по ДД.ММ.ГГГГ»` });
    }
    // Header row «Предмет …» and the day row under it.
    const header = rows[j];
    const days = rows[j + 1];
    if (!header || norm(text(header.cells.find((c) => text(c) !== ''))) !== 'предмет' || !days) {
      problems.push({ row: header?.row ?? pupilRow.row, column: 'Предмет', reason: 'после строки «Ученик:» нет строки заголовков «Предмет» с месяцами и строки чисел' });
      i = j;
      continue;
    }
    const subjectCol = header.cells.findIndex((c) => norm(text(c)) === 'предмет');
    const first = Number(yearMatch[1]);
    const dateOfColumn = new Map<number, string>();
    header.cells.forEach((cell, col) => {
      const month = MONTHS[norm(text(cell))];
      if (month === undefined) return;
      const dayText = text(days.cells[col]);
      const day = Number(dayText);
      const year = month >= 9 ? first : first + 1;
      const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const d = new Date(`${iso}T00:00:00Z`);
      if (!Number.isInteger(day) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
        problems.push({ row: days.row, column: columnLetter(col), reason: `«${dayText}» — не число месяца «${text(cell)}»` });
        return;
      }
      dateOfColumn.set(col, iso);
    });
    const summaryCols = new Set(header.cells.map((c, col) => (SUMMARY_HEADERS.some((h) => norm(text(c)).startsWith(h)) ? col : -1)).filter((c) => c >= 0));

    const block: JournalBlock = {
      row: pupilRow.row,
      year: yearText,
      classLabel: meta['Класс'],
      period,
      pupil: { lastName: nameParts[0]!, firstName: nameParts[1]!, middleName: nameParts.slice(2).join(' ') || null },
      subjects: [],
      marks: [],
      attendance: [],
    };
    let k = j + 2;
    for (; k < rows.length; k += 1) {
      const r = rows[k]!;
      if (labelled(r, 'Учебный год') !== null) break;
      const subject = text(r.cells[subjectCol]);
      if (subject === '') {
        if (r.cells.every((c) => text(c) === '')) break;
        problems.push({ row: r.row, column: 'Предмет', reason: 'строка отметок без названия предмета' });
        continue;
      }
      block.subjects.push(subject);
      for (const [col, date] of dateOfColumn) {
        if (summaryCols.has(col)) continue;
        const value = text(r.cells[col]);
        if (value === '') continue;
        for (const token of value.split(/[/\s]+/).filter(Boolean)) {
          const upper = token.toUpperCase();
          if (/^[1-5]$/.test(token)) block.marks.push({ row: r.row, column: col, subject, date, value: Number(token) });
          else if (CODES.has(upper as AttendanceCode)) block.attendance.push({ row: r.row, column: col, subject, date, code: upper as AttendanceCode });
          else problems.push({ row: r.row, column: columnLetter(col), reason: `«${token}» — не отметка (1–5) и не код посещаемости (Н, Б, У, О)` });
        }
      }
    }
    blocks.push(block);
    i = k;
  }
  return { blocks, problems };
}
