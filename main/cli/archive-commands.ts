import { join } from 'node:path';
import { VOLUME_KIND_LABELS, type VolumeRow } from '../../common/api/archive-contract';
import type { Result } from '../../common/api/contract';
import { plural } from '../../common/domain/russian';
import { requireOption, type CommandModule, type CommandSession, type OptionValues } from './args';
import { UsageError } from './errors';
import { table } from './format';
import { runCancellableJob } from './jobs';
import { documentFromOptions, duplexOption, LEDGER_KINDS, previewFollowed } from './print-volume-commands';

/**
 * `archive seal`, `archive list`, `archive verify`, `archive sync-mirror`: sealing a document into
 * the archive register (printed as a volume with its cover, signed, stored in two copies), the
 * inventory, the integrity check of every stored copy (exit code 1 when something is wrong), and
 * writing the missing second copies from verified main copies (exit code 1 when one failed).
 */

const ru = (iso: string) => iso.slice(0, 10).split('-').reverse().join('.');

const STATUS_LABELS: Record<VolumeRow['status'], string> = { sealed: 'сдано', replaced: 'заменено', destroyed: 'уничтожено' };

function sealKind(values: OptionValues): 'journal' | keyof typeof LEDGER_KINDS {
  const kind = requireOption(values, 'kind');
  if (kind !== 'journal' && !(kind in LEDGER_KINDS)) throw new UsageError(`--kind: ожидается journal, marks, attendance или movement, а не «${kind}».`);
  return kind as 'journal' | keyof typeof LEDGER_KINDS;
}

async function seal(values: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  const document = await documentFromOptions(session, sealKind(values), values);
  const draft = await previewFollowed(session, { document, asVolume: true, ...duplexOption(values) });
  let volume: VolumeRow;
  try {
    volume = await session.call('archive.seal', { draftId: draft.draftId });
  } catch (error) {
    await session.call('archive.discardDraft', { draftId: draft.draftId }).catch(() => undefined);
    throw error;
  }
  const { archiveDir } = await session.call('archive.list', { kind: volume.kind });
  const file = join(archiveDir, ...volume.fileName.split('/'));
  const result = {
    volumeId: volume.volumeId,
    archiveNo: volume.archiveNo,
    file,
    pages: volume.pages,
    sheets: volume.sheets,
    sha256: volume.sha256,
    retentionYears: volume.retentionYears,
    destroyAfter: volume.destroyAfter,
  };
  const replaced = volume.version > 1 ? `, версия ${volume.version} (прежняя версия помечена заменённой)` : '';
  return [
    result,
    [
      `Сдано в архив: дело № ${volume.archiveNo}${replaced} — ${volume.title}, ${volume.yearName}.`,
      `Страниц ${volume.pages}, листов ${volume.sheets}; срок хранения ${volume.retentionYears} ${plural(volume.retentionYears, ['год', 'года', 'лет'])}, хранить до ${ru(volume.destroyAfter)} включительно.`,
      `Файл: ${file}`,
      `SHA-256: ${volume.sha256}`,
    ].join('\n'),
  ];
}

function listText(result: Result<'archive.list'>): string {
  const head = [
    `Папка архива: ${result.archiveDir}`,
    result.mirrorDir ? `Вторая копия: ${result.mirrorDir}` : 'Вторая копия не настроена: электронные копии должны храниться на двух носителях — укажите папку второй копии в настройках.',
    `Отпечаток ключа подписи: ${result.keyFingerprint ?? 'ключа ещё нет'}`,
  ];
  if (result.rows.length === 0) return [...head, 'Сданных дел нет.'].join('\n');
  const rows = result.rows.map((r) => [
    r.archiveNo,
    String(r.version),
    VOLUME_KIND_LABELS[r.kind],
    r.classLabel ?? 'вся школа',
    r.yearName,
    `${ru(r.dateFrom)}–${ru(r.dateTo)}`,
    String(r.sheets),
    String(r.retentionYears),
    ru(r.destroyAfter),
    STATUS_LABELS[r.status],
  ]);
  return [...head, table(['№ дела', 'Версия', 'Вид', 'Класс', 'Год', 'Крайние даты', 'Листов', 'Срок, лет', 'Хранить до', 'Состояние'], rows)].join('\n');
}

function verifyText(result: Result<'archive.verify'>): string {
  if (result.ok) return `Архив цел: проверено дел ${result.checkedVolumes}, копий ${result.checkedCopies}; контрольные суммы и подписи совпадают.`;
  const lines = result.problems.map((p) => `  дело № ${p.archiveNo} «${p.title}», ${p.copy}: ${p.problem}`);
  return [
    `Архив повреждён: проблем ${result.problems.length} (проверено дел ${result.checkedVolumes}, копий ${result.checkedCopies}).`,
    ...lines,
    'Что делать: восстановите повреждённые или пропавшие файлы из другой копии (или из резервной копии) и запустите проверку снова.',
  ].join('\n');
}

function syncMirrorText(result: Result<'archive.syncMirror'>): string {
  const head = `Вторые копии: записано ${result.copied}, уже были на месте и целы ${result.alreadyPresent}, не записано ${result.failed.length}.`;
  if (result.failed.length === 0) return head;
  return [head, ...result.failed.map((f) => `  дело № ${f.archiveNo} «${f.title}»: ${f.problem}`)].join('\n');
}

export const archiveCommands: CommandModule = {
  commands: ['archive seal', 'archive list', 'archive verify', 'archive sync-mirror'],
  options: {
    class: { type: 'string' },
    kind: { type: 'string' },
    duplex: { type: 'boolean' },
    all: { type: 'boolean' },
  },
  async run(key, values, _argument, session) {
    switch (key) {
      case 'archive seal':
        return seal(values, session);
      case 'archive list': {
        const result = await session.call('archive.list', { all: values.all === true });
        return [result, listText(result)];
      }
      case 'archive verify': {
        const result = await runCancellableJob(session, 'archive.verify', {}, { name: 'verify' });
        return [result, verifyText(result), result.ok ? 0 : 1];
      }
      case 'archive sync-mirror': {
        const result = await runCancellableJob(session, 'archive.syncMirror', {}, { name: 'sync-mirror' });
        return [result, syncMirrorText(result), result.failed.length === 0 ? 0 : 1];
      }
      default:
        throw new UsageError(`Неизвестная команда «${key}».`);
    }
  },
};
