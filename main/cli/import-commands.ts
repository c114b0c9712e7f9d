import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../common/api/errors';
import { profileFromJson, type ImportProfile } from '../../common/exchange/profile';
import type { ImportReport } from '../../common/exchange/report';
import { writeDurably } from '../../db/durable-file';
import { packJsonFolder } from '../exchange/read/folder-zip';
import { optionText, requireOption, type CommandModule, type OptionValues } from './args';
import { CommandError, UsageError } from './errors';
import { runCancellableJob } from './jobs';

/**
 * `import --profile P --file F [--dry-run] [--profile-file X.json] [--encoding E] [--sheet S]`:
 * a file of the regional systems through the profile engine. Prints the report of formats.md
 * and nothing of the file's content; the rejected rows (personal data) go only to the file the
 * user names with --rejected-out. A file refused as a whole exits 1 with its one message.
 */

const ENCODINGS = ['auto', 'utf-8', 'windows-1251'] as const;

const INTERRUPTED = 'Загрузка прервана: ничего не записано.';

/** The file to send: its bytes, or a КИАСУО package folder packed into `<folder>.zip`. */
async function readInput(path: string, profile: string | ImportProfile): Promise<{ fileName: string; bytes: Buffer }> {
  const isFolder = statSafe(path)?.isDirectory() ?? false;
  if (!isFolder) return { fileName: basename(path), bytes: readBytes(path, 'Файл') };
  const layout = typeof profile === 'string' ? (profile === 'kiasuo' ? 'kiasuo-package' : null) : profile.layout;
  if (layout !== 'kiasuo-package') throw new CommandError(`«${basename(path)}» — папка. Папку можно загрузить только пакетом КИАСУО (--profile kiasuo); для других профилей укажите файл.`);
  try {
    const packed = await packJsonFolder(path);
    return { fileName: packed.fileName, bytes: packed.bytes };
  } catch (error) {
    if (error instanceof ApiError) throw new CommandError(error.message);
    throw error;
  }
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new CommandError(`${what} не найден или не читается: ${path}`);
  }
}

/** The built-in profile by --profile, or the user's own from --profile-file (checked here, in Russian). */
function profileOf(values: OptionValues): string | ImportProfile {
  const id = optionText(values, 'profile');
  const file = optionText(values, 'profile-file');
  if (!file) {
    if (!id) throw new UsageError('Не указан параметр --profile (или --profile-file с профилем загрузки).');
    return id;
  }
  const path = resolve(file);
  let profile: ImportProfile;
  try {
    profile = profileFromJson(readBytes(path, 'Файл профиля').toString('utf8'));
  } catch (error) {
    if (error instanceof ApiError) throw new CommandError(error.message);
    throw error;
  }
  if (id && id !== profile.id) throw new UsageError(`В файле профиля профиль «${profile.id}», а в --profile указан «${id}».`);
  return profile;
}

function reportText(report: ImportReport, rejectedPath: string | null): string {
  const counts = Object.entries(report.counts).map(([entity, c]) => `  ${entity}: новых ${c.created}, изменённых ${c.updated}, без изменений ${c.unchanged}`);
  return [
    `${report.dryRun ? 'Пробная загрузка (ничего не записано)' : 'Загрузка выполнена'}: ${report.file}, профиль ${report.profile}`,
    ...counts,
    `Отклонено: ${report.rejected.length}, расхождений с программой: ${report.conflicts.length}.`,
    ...report.rejected.map((r) => `  строка ${r.row}, «${r.column}»: ${r.reason}`),
    ...report.conflicts.map((c) => `  строка ${c.row}, «${c.column}»: в программе «${c.inApp ?? ''}», в файле «${c.inFile ?? ''}» — оставлено значение программы`),
    ...report.warnings.map((w) => `  предупреждение: «${w.column}» — ${w.reason}`),
    ...(rejectedPath ? [`Отклонённые строки с причинами: ${rejectedPath}`] : []),
  ].join('\n');
}

export const importCommands: CommandModule = {
  commands: ['import'],
  options: {
    profile: { type: 'string' },
    'profile-file': { type: 'string' },
    file: { type: 'string' },
    'dry-run': { type: 'boolean' },
    encoding: { type: 'string' },
    sheet: { type: 'string' },
    'rejected-out': { type: 'string' },
  },
  async run(key, values, argument, session) {
    if (key !== 'import') throw new UsageError(`Неизвестная команда «${key}».`);
    if (argument !== undefined) throw new UsageError(`Лишний аргумент «${argument}»: файл задаётся параметром --file.`);
    const profile = profileOf(values);
    const path = resolve(requireOption(values, 'file'));
    const encoding = (optionText(values, 'encoding') ?? 'auto').toLowerCase();
    if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`Кодировка «${encoding}» неизвестна: auto, utf-8 или windows-1251.`);
    const sheetText = optionText(values, 'sheet');
    const sheet = sheetText === undefined ? undefined : /^\d+$/.test(sheetText) ? Number(sheetText) : sheetText;
    const { fileName, bytes } = await readInput(path, profile);
    const { rejectedFile, ...report } = await runCancellableJob(
      session,
      'exchange.import',
      {
        fileName,
        contentBase64: bytes.toString('base64'),
        profile: profile as string | Record<string, unknown>,
        encoding: encoding as (typeof ENCODINGS)[number],
        ...(sheet !== undefined ? { sheet } : {}),
        dryRun: values['dry-run'] === true,
      },
      { name: 'import', interrupted: INTERRUPTED },
    );
    const rejectedOut = optionText(values, 'rejected-out');
    let rejectedPath: string | null = null;
    if (rejectedOut && rejectedFile) {
      rejectedPath = resolve(rejectedOut);
      const book = Buffer.from(rejectedFile.contentBase64, 'base64');
      await writeDurably(rejectedPath, async (tmp) => writeFileSync(tmp, book));
    }
    return [report, reportText(report, rejectedPath)];
  },
};
