import ExcelJS from 'exceljs';

/**
 * A `journal-report` workbook (formats.md: «Отчёт об успеваемости и посещаемости ученика (весь
 * класс)») written the way the e-journal lays it out: per pupil the rows «Учебный год: …»,
 * «Класс: …», «Период: с … по …», «Ученик: ФИО», then «Предмет» + month names merged over their
 * day columns, the row of day numbers, one row per subject. For the bench only: it makes the
 * file the import reads, from the demo school's journal.
 */

export interface JournalReportPupil {
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** Subject → ISO day → the cell's text («5», «4 5», «Н», «5/Н»). */
  cells: Map<string, Map<string, string>>;
}

export interface JournalReportInput {
  year: string;
  classLabel: string;
  period: { from: string; to: string };
  subjects: readonly string[];
  /** Every lesson day of the class, ascending: the day columns of every block. */
  days: readonly string[];
  pupils: readonly JournalReportPupil[];
}

const MONTH_NAMES = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** The workbook's bytes and how many sheet rows it holds. */
export async function writeJournalReport(input: JournalReportInput): Promise<{ bytes: Buffer; rows: number }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Отчёт');
  // Month runs of the day columns (column 1 is «Предмет»), for the merged month names.
  const runs: { month: string; from: number; to: number }[] = [];
  input.days.forEach((day, i) => {
    const month = MONTH_NAMES[Number(day.slice(5, 7)) - 1]!;
    const last = runs[runs.length - 1];
    if (last && last.month === month) last.to = i + 2;
    else runs.push({ month, from: i + 2, to: i + 2 });
  });
  const monthRow = ['Предмет', ...input.days.map((d) => MONTH_NAMES[Number(d.slice(5, 7)) - 1]!)];
  const dayRow = ['', ...input.days.map((d) => Number(d.slice(8, 10)))];
  for (const pupil of input.pupils) {
    ws.addRow([`Учебный год: ${input.year}`]);
    ws.addRow([`Класс: ${input.classLabel}`]);
    ws.addRow([`Период: с ${ruDate(input.period.from)} по ${ruDate(input.period.to)}`]);
    ws.addRow([`Ученик: ${[pupil.lastName, pupil.firstName, pupil.middleName].filter(Boolean).join(' ')}`]);
    const header = ws.addRow(monthRow);
    for (const run of runs) if (run.to > run.from) ws.mergeCells(header.number, run.from, header.number, run.to);
    ws.addRow(dayRow);
    for (const subject of input.subjects) {
      const cells = pupil.cells.get(subject);
      ws.addRow([subject, ...input.days.map((d) => cells?.get(d) ?? null)]);
    }
    ws.addRow([]);
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), rows: ws.rowCount };
}
