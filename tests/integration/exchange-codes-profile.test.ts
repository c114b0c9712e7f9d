import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinProfile, copyProfile } from '../../main/exchange/profiles/builtin';
import { openInitializedApp, type TestApp } from '../support/app';
import { giveAllConsents } from '../support/consents';

/**
 * Access codes through the exchange engine: a user's profile copied from `access-codes` with
 * renamed headers is honoured (the codes rules run on the engine's mapped records), and the
 * secretary's codes.import reads through the engine's safe reader, so a hostile or non-table
 * file is refused as a whole and nothing is written.
 */

const NOW = new Date('2025-10-15T09:00:00Z');

/** The built-in profile with «Код доступа» for «Код» and «Кто» for «Роль». */
function renamedProfile(): Record<string, unknown> {
  const profile = copyProfile(builtinProfile('access-codes')!, 'my-codes', 'Коды из района');
  profile.columns = profile.columns.map((c) => {
    if (c.field === 'code') return { ...c, headers: ['Код доступа'] };
    if (c.field === 'role') return { ...c, headers: ['Кто'] };
    return c;
  });
  return profile as unknown as Record<string, unknown>;
}

const HEADER = ['Класс', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Кто', 'Представитель', 'Код доступа', 'Действует до'];
const ROWS: string[][] = [
  ['5А', 'Зорина', 'Вера', 'Ильинична', '12.03.2014', 'Обучающийся', '', 'ZORINAPUP1', '31.05.2026'],
  ['5А', 'Зорина', 'Вера', 'Ильинична', '12.03.2014', 'Родитель', 'Зорина Тамара Олеговна', 'ZORINAMOM1', '31.05.2026'],
  ['5А', 'Кедров', 'Лев', 'Петрович', '02.07.2014', 'Обучающийся', '', 'KEDROVPUP1', ''],
  // The pupil's code given to a parent: refused, the column named as the file writes it.
  ['5А', 'Кедров', 'Лев', 'Петрович', '02.07.2014', 'Родитель', 'Кедрова Инна Сергеевна', 'KEDROVPUP1', ''],
  // A parent who refused electronic access gets no code.
  ['5А', 'Кедров', 'Лев', 'Петрович', '02.07.2014', 'Законный представитель', 'Кедров Пётр Андреевич', 'KEDROVDAD1', ''],
  ['5А', 'Кедров', 'Лев', 'Петрович', '02.07.2014', 'Сосед', '', 'KEDROVNB01', ''],
];
const SECRETS = ['ZORINAPUP1', 'ZORINAMOM1', 'KEDROVPUP1', 'KEDROVDAD1', 'KEDROVNB01'];

async function workbook(header: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Коды');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('access codes through a user profile and the safe reader', () => {
  let t: TestApp & { adminSession: string };
  let file: Buffer;
  const codeCount = async () => (await t.app.db.selectFrom('access_code').select('id').execute()).length;
  const codeAudits = async () => (await t.app.db.selectFrom('audit_log').select('id').where('entity', '=', 'access_code').execute()).length;
  const importAs = (dryRun: boolean, profile: string | Record<string, unknown> = renamedProfile()) =>
    t.call('exchange.import', { fileName: 'коды района.xlsx', contentBase64: file.toString('base64'), profile, dryRun }, t.adminSession);

  beforeAll(async () => {
    t = await openInitializedApp({ now: () => NOW });
    file = await workbook(HEADER, ROWS);
    const db = t.app.db;
    const yearId = (await db.insertInto('school_year').values({ name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-26', closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
    const classId = (await db.insertInto('school_class').values({ year_id: yearId, parallel: 5, letter: 'А', period_scheme: 'quarters' }).returning('id').executeTakeFirstOrThrow()).id;
    const admit = async (lastName: string, firstName: string, middleName: string, birthDate: string, gender: 'м' | 'ж') =>
      (await t.call('movement.admit', { order: { date: '2025-09-01' }, classId, pupil: { lastName, firstName, middleName, birthDate, gender, snils: null } }, t.adminSession)).pupilId;
    const zorina = await admit('Зорина', 'Вера', 'Ильинична', '2014-03-12', 'ж');
    const kedrov = await admit('Кедров', 'Лев', 'Петрович', '2014-07-02', 'м');
    const link = (pupilId: number, kinship: 'мать' | 'отец', lastName: string, firstName: string, middleName: string) =>
      t.call('guardians.link', { pupilId, kinship, guardian: { lastName, firstName, middleName, snils: null } }, t.adminSession);
    await link(zorina, 'мать', 'Зорина', 'Тамара', 'Олеговна');
    await link(kedrov, 'мать', 'Кедрова', 'Инна', 'Сергеевна');
    const dad = (await link(kedrov, 'отец', 'Кедров', 'Пётр', 'Андреевич')).guardians.find((g) => g.firstName === 'Пётр')!;
    await db.insertInto('consent').values({ subject_kind: 'guardian', guardian_id: dad.id, purpose: 'electronic_results', status: 'refused', decided_on: '2025-09-01' }).execute();
    await giveAllConsents(db, '2025-09-01');
  });
  afterAll(async () => t.close());

  it('a profile copied from `access-codes` with renamed headers imports codes with the right counts', async () => {
    const dry = await importAs(true);
    expect(dry.profile).toBe('my-codes');
    expect(dry.counts).toEqual({ codes: { created: 3, updated: 0, unchanged: 0 } });
    expect(dry.warnings).toEqual([]);
    expect(dry.rejected).toEqual([
      { row: 5, column: 'Код доступа', reason: 'это код обучающегося: он не может быть выдан представителю' },
      { row: 6, column: 'Представитель', reason: 'родитель отказался от электронного доступа' },
      { row: 7, column: 'Кто', reason: 'роль: Обучающийся, Родитель или Законный представитель' },
    ]);
    expect(dry.rejectedFile?.fileName).toBe('коды района — отклонённые строки.xlsx');
    expect(await codeCount()).toBe(0);

    const real = await importAs(false);
    expect(real.counts).toEqual({ codes: { created: 3, updated: 0, unchanged: 0 } });
    const stored = await t.app.db.selectFrom('access_code').select(['holder_kind', 'code_secret', 'valid_until']).orderBy('id').execute();
    expect(stored).toEqual([
      { holder_kind: 'pupil', code_secret: 'ZORINAPUP1', valid_until: '2026-05-31' },
      { holder_kind: 'guardian', code_secret: 'ZORINAMOM1', valid_until: '2026-05-31' },
      { holder_kind: 'pupil', code_secret: 'KEDROVPUP1', valid_until: null },
    ]);
    expect(await codeAudits()).toBe(3);

    const again = await importAs(false);
    expect(again.counts).toEqual({ codes: { created: 0, updated: 0, unchanged: 3 } });
    expect(await codeCount()).toBe(3);
    const json = JSON.stringify([dry, real, again]) + JSON.stringify(await t.app.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of SECRETS) expect(json).not.toContain(secret);
  });

  it('the built-in profile (and so the Codes dialog) does not know the renamed headers', async () => {
    const viaEngine = await t.refuse('exchange.import', { fileName: 'коды района.xlsx', contentBase64: file.toString('base64'), profile: 'access-codes', dryRun: true }, t.adminSession);
    expect(viaEngine.message).toMatch(/нет обязательных столбцов «Роль», «Код»/);
    const viaDialog = await t.refuse('codes.import', { fileName: 'коды района.xlsx', contentBase64: file.toString('base64'), dryRun: true }, t.adminSession);
    expect(viaDialog.code).toBe('refused');
    expect(viaDialog.message).toMatch(/нет обязательных столбцов «Роль», «Код»/);
  });

  it('codes.import reads the built-in columns through the same mapping', async () => {
    const builtin = await workbook(
      HEADER.map((h) => (h === 'Кто' ? 'Роль' : h === 'Код доступа' ? 'Код' : h)),
      [['5А', 'Кедров', 'Лев', 'Петрович', '02.07.2014', 'Родитель', 'Кедрова Инна Сергеевна', 'KEDROVMOM1', '31.05.2026']],
    );
    const report = await t.call('codes.import', { fileName: 'коды.xlsx', contentBase64: builtin.toString('base64'), dryRun: true }, t.adminSession);
    expect(report).toEqual({
      profile: 'access-codes',
      file: 'коды.xlsx',
      dryRun: true,
      counts: { codes: { created: 1, updated: 0, unchanged: 0 } },
      rejected: [],
      warnings: [],
      rejectedFile: null,
    });
    expect(await codeCount()).toBe(3);
  });

  it('codes.import refuses a zip bomb and files that are not tables, in Russian, writing nothing', async () => {
    const before = { codes: await codeCount(), audits: await codeAudits() };
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types/>');
    zip.file('xl/workbook.xml', '<?xml version="1.0"?><workbook/>');
    // 30 MB of spaces deflate to a few tens of kilobytes: far beyond the 200:1 ratio allowed.
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(30 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refused = async (fileName: string, bytes: Buffer) => {
      const error = await t.refuse('codes.import', { fileName, contentBase64: bytes.toString('base64'), dryRun: false }, t.adminSession);
      expect(error.code).toBe('refused');
      return error.message;
    };
    expect(await refused('коды.xlsx', bomb)).toMatch(/^Файл «коды\.xlsx» отклонён: .*похоже на «zip-бомбу»/);
    expect(await refused('коды.xlsx', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'))).toMatch(/не читается как книга Excel \(XLSX\): это PDF-документ, а не таблица/);
    expect(await refused('коды.csv', Buffer.from([0x4b, 0x6c, 0x61, 0x00, 0x01, 0x02, 0xff, 0x00]))).toMatch(/не похож на таблицу \(XLSX или CSV\)/);
    const notWorkbook = new JSZip();
    notWorkbook.file('readme.txt', 'not a workbook');
    expect(await refused('коды.xlsx', await notWorkbook.generateAsync({ type: 'nodebuffer' }))).toMatch(/это ZIP-архив, но внутри нет книги Excel/);
    expect({ codes: await codeCount(), audits: await codeAudits() }).toEqual(before);
  });
});
