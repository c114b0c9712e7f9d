import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, writeSetting } from '../support/archive';
import { assertBuilt, cli } from '../support/cli';

/**
 * Printing and the archive register through the built command line (issue 7, «must show»): a
 * class journal printed with --json whose pages equal pdfinfo's and whose sheets follow the rule
 * one- and two-sided, with the setting for the cover and certification sheet off and on; the
 * last page certifies that number in figures and words with the right noun; every font is
 * embedded; the demo's names, marks, topics and homework are on the pages; `archive seal` twice
 * makes version 2 and marks the first replaced; `archive verify` passes and names the volume
 * (exit 1) when one byte of a stored PDF changes; an unwritable second-copy folder refuses the
 * seal and registers nothing.
 */

const YEAR = '2025/2026';
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
let dir: string;
let db: string;

const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);

function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

const pdfText = (file: string, args: string[] = []) => execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** An implementation of the count in words independent of common/domain/number-words.ts (1–999, masculine: «лист»). */
function sheetsPhrase(n: number): string {
  const ones = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
  const teens = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
  const tens = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
  const hundreds = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
  const h = Math.floor(n / 100);
  const rest = n % 100;
  const words = [hundreds[h], rest >= 10 && rest < 20 ? teens[rest - 10] : tens[Math.floor(rest / 10)], rest >= 10 && rest < 20 ? '' : ones[rest % 10]].filter(Boolean);
  const last = rest % 10;
  const noun = rest >= 11 && rest <= 14 ? 'листов' : last === 1 ? 'лист' : last >= 2 && last <= 4 ? 'листа' : 'листов';
  return `${n} (${words.join(' ')}) ${noun}`;
}

const setSetting = (key: string, value: unknown) => writeSetting(db, key, value);

interface Printed {
  file: string;
  pages: number;
  sheets: number;
  sha256: string;
}
interface Sealed extends Printed {
  volumeId: number;
  archiveNo: string;
  retentionYears: number;
  destroyAfter: string;
}
interface Listed {
  rows: { volumeId: number; archiveNo: string; version: number; status: string; replacedBy: number | null; fileName: string; kind: string }[];
  archiveDir: string;
}

/** Sample data of 5А, read from the register, to look for on the printed pages. */
interface Sample {
  pupils: { id: number; last: string; first: string }[];
  lesson: { topic: string; homework: string; subject: string };
  mark: { pupilLast: string; pupilFirst: string; value: string; subject: string; date: string };
}

function sampleOf5A(): Sample {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    const cls = raw.prepare(`select c.id from school_class c join school_year y on y.id = c.year_id where y.name = ? and c.parallel = 5 and c.letter = 'А'`).get(YEAR) as { id: number };
    const pupils = raw
      .prepare('select distinct p.id, p.last_name as last, p.first_name as first from pupil p join class_membership m on m.pupil_id = p.id where m.class_id = ?')
      .all(cls.id) as Sample['pupils'];
    const lesson = raw
      .prepare(`select l.topic, l.homework, s.name as subject from lesson l join subject s on s.id = l.subject_id where l.class_id = ? and l.homework is not null and l.homework <> '' order by l.lesson_date limit 1`)
      .get(cls.id) as Sample['lesson'];
    // A pupil's mark on the first lesson of a subject: its date column is on the subject's first grid page.
    const mark = raw
      .prepare(
        `select p.last_name as pupilLast, p.first_name as pupilFirst, mk.value, s.name as subject, l.lesson_date as date
         from mark mk join lesson l on l.id = mk.lesson_id join pupil p on p.id = mk.pupil_id join subject s on s.id = l.subject_id
         where l.class_id = ? and l.lesson_date = (select min(l2.lesson_date) from lesson l2 where l2.class_id = l.class_id and l2.subject_id = l.subject_id and l2.group_id is l.group_id)
         order by s.name limit 1`,
      )
      .get(cls.id) as Sample['mark'];
    return { pupils, lesson, mark };
  } finally {
    raw.close();
  }
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-archive-'));
  db = join(dir, 'school.db');
  expect(cli(['--db', db, 'init', '--admin', 'admin', '--name', 'Иванова Анна Петровна'], { input: 'secret\n' }).code).toBe(0);
  const demo = run('demo', '--seed', '5', '--pupils', '60', '--year', YEAR);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('print journal and print ledger', () => {
  it('prints a class journal whose JSON matches pdfinfo, certifies its sheets in figures and words, embeds every font and carries the demo data', () => {
    const out = join(dir, 'journal.pdf');
    const printed = cliJson<Printed>(run('print', 'journal', '--class', '5А', '--year', YEAR, '--out', out, '--json'));
    expect(Object.keys(printed).sort()).toEqual(['file', 'pages', 'sha256', 'sheets']);
    expect(printed.file).toBe(out);
    expect(pdfPages(out)).toBe(printed.pages);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(printed.sha256);
    // One-sided, the setting off (default): the certification sheet is not counted.
    expect(printed.sheets).toBe(printed.pages - 1);

    const last = pdfText(out, ['-f', String(printed.pages), '-l', String(printed.pages)]).replace(/\s+/g, ' ');
    expect(last).toContain('В настоящем журнале пронумеровано, прошнуровано и скреплено печатью');
    expect(last).toContain(sheetsPhrase(printed.sheets));

    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line.split(/\s+/).at(-5), line).toBe('yes');

    const sample = sampleOf5A();
    const text = pdfText(out);
    const flat = text.replace(/\s+/g, ' ');
    for (const p of sample.pupils) expect(flat).toContain(`${p.last} ${p.first}`);
    expect(flat).toContain(sample.lesson.topic.replace(/\s+/g, ' '));
    expect(flat).toContain(sample.lesson.homework.replace(/\s+/g, ' '));
    // The mark stands in its pupil's row on the subject's first grid page.
    const pages = pdfText(out, ['-layout']).split('\f');
    const gridPage = pages.find((p) => p.includes(sample.mark.subject) && p.includes(`${sample.mark.pupilLast} ${sample.mark.pupilFirst}`));
    expect(gridPage, 'grid page of the sample subject').toBeDefined();
    const row = gridPage?.split('\n').find((l) => l.includes(`${sample.mark.pupilLast} ${sample.mark.pupilFirst}`)) ?? '';
    expect(row.slice(row.indexOf(sample.mark.pupilFirst) + sample.mark.pupilFirst.length)).toContain(sample.mark.value);
  }, 90_000);

  it('two-sided with the cover and certification counted: sheets are half the pages rounded up', () => {
    setSetting('countCoverAndCertification', true);
    try {
      const out = join(dir, 'journal-duplex.pdf');
      const printed = cliJson<Printed>(run('print', 'journal', '--class', '5А', '--year', YEAR, '--out', out, '--duplex', '--json'));
      expect(pdfPages(out)).toBe(printed.pages);
      expect(printed.sheets).toBe(Math.ceil(printed.pages / 2));
      const last = pdfText(out, ['-f', String(printed.pages), '-l', String(printed.pages)]).replace(/\s+/g, ' ');
      expect(last).toContain(sheetsPhrase(printed.sheets));
    } finally {
      setSetting('countCoverAndCertification', false);
    }
  }, 90_000);

  it('prints a ledger of one class', () => {
    const out = join(dir, 'movement.pdf');
    const printed = cliJson<Printed>(run('print', 'ledger', '--kind', 'movement', '--year', YEAR, '--class', '5А', '--out', out, '--json'));
    expect(pdfPages(out)).toBe(printed.pages);
    expect(pdfText(out, ['-f', String(printed.pages), '-l', String(printed.pages)]).replace(/\s+/g, ' ')).toContain(`В настоящем деле пронумеровано, прошнуровано и скреплено печатью ${sheetsPhrase(printed.sheets)}`);
  }, 60_000);

  it('refuses an unknown class in Russian, naming the year', () => {
    const result = run('print', 'journal', '--class', '5Я', '--year', YEAR, '--out', join(dir, 'x.pdf'), '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Класс 5Я в 2025/2026 учебном году не найден');
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});

describe('archive seal, list, verify', () => {
  let journal: Sealed;

  it('seals a class journal with the JSON of the issue', () => {
    journal = cliJson<Sealed>(run('archive', 'seal', '--kind', 'journal', '--class', '5А', '--year', YEAR, '--json'));
    expect(Object.keys(journal).sort()).toEqual(['archiveNo', 'destroyAfter', 'file', 'pages', 'retentionYears', 'sha256', 'sheets', 'volumeId']);
    expect(journal.archiveNo).toBe('2026-001');
    expect(journal.retentionYears).toBe(5);
    expect(journal.destroyAfter).toBe('2031-12-31');
    expect(journal.file.startsWith(join(dir, 'archive', '2025-2026'))).toBe(true);
    expect(pdfPages(journal.file)).toBe(journal.pages);
    const cover = pdfText(journal.file, ['-f', '1', '-l', '1']).replace(/\s+/g, ' ');
    expect(cover).toContain('2026-001');
    expect(cover).toContain('Срок хранения: 5 лет');
    const last = pdfText(journal.file, ['-f', String(journal.pages), '-l', String(journal.pages)]).replace(/\s+/g, ' ');
    expect(last).toContain(sheetsPhrase(journal.sheets));
  }, 90_000);

  it('sealing a document twice makes version 2 and marks the first replaced', () => {
    const first = cliJson<Sealed>(run('archive', 'seal', '--kind', 'movement', '--class', '5А', '--year', YEAR, '--json'));
    const second = cliJson<Sealed>(run('archive', 'seal', '--kind', 'movement', '--class', '5А', '--year', YEAR, '--json'));
    expect(second.archiveNo).toBe(first.archiveNo);
    expect(second.retentionYears).toBe(25);
    const all = cliJson<Listed>(run('archive', 'list', '--all', '--json'));
    const versions = all.rows.filter((r) => r.archiveNo === first.archiveNo).map((r) => [r.version, r.status, r.replacedBy]);
    expect(versions).toEqual([
      [1, 'replaced', second.volumeId],
      [2, 'sealed', null],
    ]);
    const current = cliJson<Listed>(run('archive', 'list', '--json'));
    expect(current.rows.map((r) => r.volumeId).sort()).toEqual([journal.volumeId, second.volumeId].sort());
  }, 90_000);

  it('verify passes, then names the volume (exit 1) when one byte of its stored PDF changes', () => {
    const ok = cliJson<{ ok: boolean; checkedVolumes: number; problems: unknown[] }>(run('archive', 'verify', '--json'));
    expect(ok).toMatchObject({ ok: true, checkedVolumes: 3, problems: [] });

    const original = readFileSync(journal.file);
    const changed = Buffer.from(original);
    changed.writeUInt8(changed.readUInt8(Math.floor(changed.length / 3)) ^ 0x20, Math.floor(changed.length / 3));
    chmodSync(journal.file, 0o644);
    writeFileSync(journal.file, changed);
    try {
      const broken = run('archive', 'verify', '--json');
      expect(broken.code).toBe(1);
      const result = JSON.parse(broken.stdout) as { ok: boolean; problems: { volumeId: number; archiveNo: string; problem: string }[] };
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ volumeId: journal.volumeId, archiveNo: '2026-001', problem: 'файл изменён: контрольная сумма не совпадает' })]);
      const text = run('archive', 'verify');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('дело № 2026-001');
      expect(text.stdout).toContain('файл изменён: контрольная сумма не совпадает');
    } finally {
      writeFileSync(journal.file, original);
      chmodSync(journal.file, 0o444);
    }
    expect(run('archive', 'verify').code).toBe(0);
  }, 60_000);

  it('refuses to seal when the second-copy folder cannot be written, registering nothing', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const folders = [join(blocker, 'copy')];
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      // Without root, a read-only folder is unwritable too (root writes through the mode bits).
      const readOnly = join(dir, 'read-only');
      execFileSync('mkdir', ['-p', readOnly]);
      chmodSync(readOnly, 0o555);
      folders.push(readOnly);
    }
    const before = cliJson<Listed>(run('archive', 'list', '--all', '--json')).rows.length;
    for (const folder of folders) {
      setSetting('archiveMirrorDir', folder);
      const result = run('archive', 'seal', '--kind', 'movement', '--class', '6А', '--year', YEAR, '--json');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Вторая копия архива не записана в папку «${folder}»`);
      expect(cliJson<Listed>(run('archive', 'list', '--all', '--json')).rows.length).toBe(before);
    }
    setSetting('archiveMirrorDir', '');
    // The refused seal left no draft behind.
    expect(readdirSync(join(dir, 'archive', 'drafts'))).toEqual([]);
  }, 90_000);
});
