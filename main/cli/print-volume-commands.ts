import type { Draft, VolumeDocument } from '../../common/api/archive-contract';
import type { Params } from '../../common/api/contract';
import { parseClassLabel } from '../../common/domain/russian';
import { optionText, requireOption, writePdf, type CommandModule, type CommandSession, type OptionValues } from './args';
import { CommandError, UsageError } from './errors';
import { runCancellableJob } from './jobs';

/**
 * `print journal` and `print ledger`: a class journal or a summary ledger printed as one PDF
 * (the document with its contents and certification sheet, without the archive cover), for a
 * paper copy. `archive seal` (archive-commands.ts) prints the same documents as volumes.
 */

/** Ledger kinds by their short names on the command line. */
export const LEDGER_KINDS = {
  marks: 'final_marks_ledger',
  attendance: 'attendance_ledger',
  movement: 'movement_ledger',
} as const;

export async function yearIdByName(session: CommandSession, name: string): Promise<number> {
  const { years } = await session.call('years.list', {});
  const year = years.find((y) => y.name === name.trim());
  if (!year) throw new CommandError(`Учебный год ${name} не найден. Учебные годы: ${years.map((y) => y.name).join(', ') || 'нет'}.`);
  return year.id;
}

/** A class of the given school year by its label «5А». */
export async function classIdInYear(session: CommandSession, yearId: number, yearName: string, label: string): Promise<number> {
  const parsed = parseClassLabel(label);
  if (!parsed) throw new UsageError(`Класс «${label}» записан непонятно: ожидается, например, 5А.`);
  const { classes } = await session.call('years.get', { yearId });
  const found = classes.find((c) => c.parallel === parsed.parallel && c.letter === parsed.letter);
  if (!found) {
    throw new CommandError(`Класс ${label} в ${yearName} учебном году не найден. Классы года: ${classes.map((c) => c.label).join(', ') || 'нет'}.`);
  }
  return found.id;
}

/** The document named by --kind (journal or a ledger kind), --year and --class. */
export async function documentFromOptions(session: CommandSession, kind: 'journal' | keyof typeof LEDGER_KINDS, values: OptionValues): Promise<VolumeDocument> {
  const yearName = requireOption(values, 'year').trim();
  const yearId = await yearIdByName(session, yearName);
  const label = optionText(values, 'class');
  if (kind === 'journal') {
    if (!label) throw new UsageError('Не указан параметр --class: классный журнал печатается для одного класса (например, --class 5А).');
    return { kind: 'class_journal', classId: await classIdInYear(session, yearId, yearName, label) };
  }
  const classId = label ? await classIdInYear(session, yearId, yearName, label) : undefined;
  return { kind: LEDGER_KINDS[kind], yearId, ...(classId !== undefined ? { classId } : {}) };
}

export function ledgerKindOption(values: OptionValues): keyof typeof LEDGER_KINDS {
  const kind = requireOption(values, 'kind');
  if (!(kind in LEDGER_KINDS)) throw new UsageError(`--kind: ожидается marks, attendance или movement, а не «${kind}».`);
  return kind as keyof typeof LEDGER_KINDS;
}

/** --duplex given: two-sided; absent: the setting «Двусторонняя печать по умолчанию». */
export function duplexOption(values: OptionValues): { duplex?: boolean } {
  return values.duplex === true ? { duplex: true } : {};
}

const INTERRUPTED = 'Печать прервана: ничего не сохранено.';

/**
 * Prints a draft as a job the user can stop with Ctrl+C (the same `jobs.cancel` as the
 * window's «Прервать»), following its progress on stderr.
 */
export async function previewFollowed(session: CommandSession, params: Omit<Params<'archive.preview'>, 'jobId'>): Promise<Draft> {
  return runCancellableJob(session, 'archive.preview', params, { name: 'print', interrupted: INTERRUPTED });
}

const sheetsText = (draft: Draft) => `${draft.pages} стр., ${draft.sheets} л.${draft.duplex ? ' (двусторонняя печать)' : ''}`;

export const printVolumeCommands: CommandModule = {
  commands: ['print journal', 'print ledger'],
  options: {
    class: { type: 'string' },
    out: { type: 'string' },
    kind: { type: 'string' },
    duplex: { type: 'boolean' },
  },
  async run(key, values, _argument, session) {
    if (key !== 'print journal' && key !== 'print ledger') throw new UsageError(`Неизвестная команда «${key}».`);
    const out = requireOption(values, 'out');
    const document = await documentFromOptions(session, key === 'print journal' ? 'journal' : ledgerKindOption(values), values);
    const draft = await previewFollowed(session, { document, asVolume: false, ...duplexOption(values) });
    try {
      const { pdfBase64 } = await session.call('archive.file', { draftId: draft.draftId });
      const file = await writePdf(out, pdfBase64);
      return [{ file, pages: draft.pages, sheets: draft.sheets, sha256: draft.sha256 }, `Напечатано: ${draft.title}; ${sheetsText(draft)} → ${file}\nSHA-256: ${draft.sha256}`];
    } finally {
      await session.call('archive.discardDraft', { draftId: draft.draftId });
    }
  },
};
