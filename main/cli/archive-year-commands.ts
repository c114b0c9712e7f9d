import { VOLUME_KINDS, type VolumeKind } from '../../common/api/archive-contract';
import { optionText, parseId, requireOption, writePdf, type CommandModule, type CommandSession, type OptionValues } from './args';
import { CommandError, UsageError } from './errors';
import { table } from './format';
import { runCancellableJob } from './jobs';

/**
 * The end of the archive year and of a volume's term: `archive seal-year` (every journal and
 * ledger of a year sealed, resuming an unfinished run), `archive destruction-act` (the act for
 * volumes past their term) and `archive destroy` (marking them destroyed by the approved act).
 */

const ru = (iso: string) => iso.split('-').reverse().join('.');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The short names of the command line, as `archive seal --kind` takes them. */
const KIND_NAMES: Record<string, VolumeKind> = {
  journal: 'class_journal',
  marks: 'final_marks_ledger',
  attendance: 'attendance_ledger',
  movement: 'movement_ledger',
};

export function parseKinds(text: string | undefined): VolumeKind[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--kinds: перечислите виды через запятую: journal, marks, attendance, movement.');
  return [
    ...new Set(
      names.map((name) => {
        const kind = KIND_NAMES[name] ?? (VOLUME_KINDS as readonly string[]).find((k) => k === name);
        if (!kind) throw new UsageError(`--kinds: неизвестный вид «${name}». Возможные: journal, marks, attendance, movement.`);
        return kind as VolumeKind;
      }),
    ),
  ];
}

function isoDate(v: OptionValues, name: string): string {
  const value = requireOption(v, name);
  if (!ISO_DATE.test(value)) throw new UsageError(`--${name}: ожидается дата ГГГГ-ММ-ДД, а не «${value}».`);
  return value;
}

function volumeIds(v: OptionValues): number[] {
  const raw = (v as Record<string, unknown>).volume;
  const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? [raw] : [];
  // «--volume 3 --volume 4» and «--volume 3,4» both work.
  const ids = list.flatMap((item) => item.split(',').map((s) => s.trim())).filter(Boolean);
  if (ids.length === 0) throw new UsageError('Не указаны дела: --volume ID (номер записи из «archive list»), можно несколько раз.');
  return ids.map((id) => parseId(id, '--volume'));
}

async function yearIdByName(session: CommandSession, name: string): Promise<number> {
  const { years } = await session.call('years.list', {});
  const year = years.find((y) => y.name === name.trim());
  if (!year) throw new CommandError(`Учебный год «${name}» не найден. Учебные годы: ${years.map((y) => y.name).join(', ') || 'нет'}.`);
  return year.id;
}

/** A stopped job's own message («… прервано …»). */
const interruptedText = (error: unknown) => (error instanceof Error ? error.message : 'Прервано.');

async function sealYear(v: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  const yearName = requireOption(v, 'year');
  const yearId = await yearIdByName(session, yearName);
  const kinds = parseKinds(optionText(v, 'kinds'));
  const result = await runCancellableJob(
    session,
    'archive.sealYear',
    { yearId, ...(kinds ? { kinds } : {}), ...(v.duplex === true ? { duplex: true } : {}) },
    { name: 'archive-seal-year', interrupted: interruptedText },
  );
  const lines = [`Печать документов ${yearName} учебного года: всего ${result.total}, сдано в архив сейчас ${result.sealed.length}, готовых с прошлого запуска ${result.alreadyDone}, с ошибкой ${result.failed.length}.`];
  if (result.sealed.length > 0) {
    lines.push(
      table(
        ['Запись', 'Номер дела', 'Документ', 'Листов', 'Уничтожить после'],
        result.sealed.map((r) => [String(r.volumeId), r.version > 1 ? `${r.archiveNo} v${r.version}` : r.archiveNo, r.title, String(r.sheets), ru(r.destroyAfter)]),
      ),
    );
  }
  for (const f of result.failed) lines.push(`Не сдано: ${f.title} — ${f.error}`);
  if (result.failed.length > 0) lines.push('Исправьте причины и запустите печать года ещё раз: готовые дела напечатаны заново не будут.');
  return [result, lines.join('\n')];
}

async function destructionAct(v: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  const asOf = isoDate(v, 'as-of');
  const out = requireOption(v, 'out');
  const act = await runCancellableJob(session, 'archive.destructionAct', { asOf }, { name: 'archive-act', interrupted: interruptedText });
  const file = await writePdf(out, act.pdfBase64);
  const json = { file, pages: act.pages, volumes: act.volumes };
  const text = [
    `Акт о выделении к уничтожению на ${ru(asOf)}: дел ${act.volumes.length}, страниц ${act.pages}.`,
    `Файл: ${file}`,
    `Записи описи в акте: ${act.volumes.join(', ')}.`,
    `После утверждения акта директором: school-office archive destroy --act-number N --act-date ГГГГ-ММ-ДД ${act.volumes.map((id) => `--volume ${id}`).join(' ')}`,
  ];
  return [json, text.join('\n')];
}

async function destroy(v: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  const actNumber = requireOption(v, 'act-number');
  const actDate = isoDate(v, 'act-date');
  const result = await session.call('archive.destroy', { volumeIds: volumeIds(v), actNumber, actDate });
  const files = result.notRemoved.length === 0 ? 'их файлы удалены из архива.' : 'их файлы удалены из архива, кроме перечисленных ниже:';
  const lines = [`По акту № ${actNumber} от ${ru(actDate)} отмечено уничтоженными дел: ${result.destroyed}; ${files}`, ...result.notRemoved];
  return [result, lines.join('\n')];
}

export const ARCHIVE_YEAR_MODULE: CommandModule = {
  commands: ['archive seal-year', 'archive destruction-act', 'archive destroy'],
  options: {
    kinds: { type: 'string' },
    duplex: { type: 'boolean' },
    'as-of': { type: 'string' },
    out: { type: 'string' },
    'act-number': { type: 'string' },
    'act-date': { type: 'string' },
    volume: { type: 'string', multiple: true },
  },
  async run(key, v, _argument, session) {
    switch (key) {
      case 'archive seal-year':
        return sealYear(v, session);
      case 'archive destruction-act':
        return destructionAct(v, session);
      case 'archive destroy':
        return destroy(v, session);
      default:
        throw new UsageError(`Неизвестная команда «${key}».`);
    }
  },
};
