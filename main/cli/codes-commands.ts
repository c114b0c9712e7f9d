import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { writeDurably } from '../../db/durable-file';
import { classIdByLabel, type CommandSession, type OptionValues } from './args';
import { CommandError, UsageError } from './errors';
import { table } from './format';

/** Access codes: import the regional lists, generate, list, print the slips. Never prints a code. */
export const CODES_OPTIONS = {
  file: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'valid-until': { type: 'string' },
  encoding: { type: 'string' },
  'rejected-out': { type: 'string' },
} as const;

const ENCODINGS = ['auto', 'utf-8', 'windows-1251'] as const;

export const CODES_COMMANDS = ['codes import', 'codes generate', 'codes list', 'codes print'];

const str = (v: OptionValues, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

function need(v: OptionValues, name: string): string {
  const value = str(v, name);
  if (!value) throw new UsageError(`Не указан параметр --${name}.`);
  return value;
}

const classId = (session: CommandSession, label: string): Promise<number> => classIdByLabel(session, label);

const ru = (iso: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('.') : '—');

export async function runCodesCommand(key: string, v: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  switch (key) {
    case 'codes import': {
      const path = resolve(need(v, 'file'));
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        throw new CommandError(`Файл не найден или не читается: ${path}`);
      }
      const encoding = (str(v, 'encoding') ?? 'auto').toLowerCase();
      if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`Кодировка «${encoding}» неизвестна: auto, utf-8 или windows-1251.`);
      const { rejectedFile, ...report } = await session.call('codes.import', {
        fileName: basename(path),
        contentBase64: bytes.toString('base64'),
        dryRun: v['dry-run'] === true,
        encoding: encoding as (typeof ENCODINGS)[number],
      });
      // The refused rows hold codes: they go to a file the user names, never to the output.
      const rejectedOut = str(v, 'rejected-out');
      let rejectedPath: string | null = null;
      if (rejectedOut && rejectedFile) {
        rejectedPath = resolve(rejectedOut);
        const book = Buffer.from(rejectedFile.contentBase64, 'base64');
        await writeDurably(rejectedPath, async (tmp) => writeFileSync(tmp, book));
      }
      const c = report.counts.codes;
      const lines = [
        `${report.dryRun ? 'Пробная загрузка (ничего не записано)' : 'Загрузка выполнена'}: ${report.file}`,
        `Коды: новых ${c.created}, изменённых ${c.updated}, без изменений ${c.unchanged}, отклонено строк ${report.rejected.length}.`,
        ...report.rejected.map((r) => `  строка ${r.row}, «${r.column}»: ${r.reason}`),
        ...report.warnings.map((w) => `  предупреждение: «${w.column}» — ${w.reason}`),
        ...(rejectedPath ? [`Отклонённые строки с причинами: ${rejectedPath}`] : []),
      ];
      return [{ ...report, ...(rejectedOut ? { rejectedFile: rejectedPath } : {}) }, lines.join('\n')];
    }
    case 'codes generate': {
      const validUntil = str(v, 'valid-until');
      const result = await session.call('codes.generate', { classId: await classId(session, need(v, 'class')), ...(validUntil ? { validUntil } : {}) });
      return [result, `Создано кодов: ${result.created} (обучающимся ${result.pupils}, представителям ${result.guardians}); отказавшихся от электронного доступа: ${result.skippedRefused}; без согласия на обработку данных: ${result.skippedNoConsent}.`];
    }
    case 'codes list': {
      const result = await session.call('codes.list', { classId: await classId(session, need(v, 'class')) });
      const text = table(
        ['№', 'Владелец', 'Роль', 'Обучающийся', 'Состояние', 'Действует до', 'Выдан'],
        result.rows.map((r) => [String(r.id), r.holder, r.role, r.pupil, r.statusLabel, ru(r.validUntil), ru(r.issuedAt)]),
      );
      const blocked = result.blocked.map((b) => `  ${b.holder}${b.holderKind === 'guardian' ? ` (представитель, ${b.pupil})` : ''}: ${b.reason}`);
      return [result, `Коды доступа ${result.classLabel} класса\n${text}${blocked.length ? `\nКод не выдаётся:\n${blocked.join('\n')}` : ''}`];
    }
    case 'codes print': {
      const out = resolve(need(v, 'out'));
      const printed = await session.call('codes.print', { classId: await classId(session, need(v, 'class')) });
      const bytes = Buffer.from(printed.pdfBase64, 'base64');
      await writeDurably(out, async (tmp) => writeFileSync(tmp, bytes));
      return [
        { file: out, pages: printed.pages, slips: printed.slips, blocked: printed.blocked },
        `Напечатано: ${printed.title}; листков ${printed.slips}, страниц ${printed.pages} → ${out}${printed.blocked ? `\nНе напечатано (отказ или нет согласия): ${printed.blocked}` : ''}`,
      ];
    }
    default:
      throw new UsageError(`Неизвестная команда «${key}».`);
  }
}
