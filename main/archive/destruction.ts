import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import { ruDate } from '../../templates/layout';
import { removeFile, resolveStored } from './folders';

/**
 * Destroying volumes by an approved act: the register rows are marked (status, date, the act)
 * in one transaction, refusing the whole act if any volume is not due on the act's date or was
 * destroyed before; the files are removed only after the commit, so a failed removal never
 * leaves a row that claims a file it still has — it leaves a file to remove by hand, reported.
 */

export interface VolumeToDestroy {
  id: number;
  archiveNo: string;
  version: number;
  fileName: string;
}

/** «№ 3 от 15.01.2032»: the act as the register records it. */
export function actReference(actNumber: string, actDate: string): string {
  return `№ ${actNumber.trim().replace(/^№\s*/, '')} от ${ruDate(actDate)}`;
}

function volumeName(row: { archive_no: string; version: number }): string {
  return row.version > 1 ? `${row.archive_no} (версия ${row.version})` : row.archive_no;
}

/**
 * Marks the volumes destroyed inside the caller's transaction; throws (so nothing is written)
 * when a volume is unknown, already destroyed, or its term has not ended before the act date.
 */
export async function markDestroyed(
  trx: Db,
  input: { volumeIds: readonly number[]; actNumber: string; actDate: string; today: string; at: string },
): Promise<VolumeToDestroy[]> {
  if (input.actDate > input.today) {
    throw new ApiError('refused', `Дата акта ${ruDate(input.actDate)} ещё не наступила: укажите дату, которой директор утвердил акт. Ничего не изменено.`, { actDate: 'дата акта в будущем' });
  }
  const ids = [...new Set(input.volumeIds)];
  const rows = await trx
    .selectFrom('archive_volume')
    .select(['id', 'archive_no', 'version', 'file_name', 'status', 'destroy_after', 'destruction_act'])
    .where('id', 'in', ids)
    .orderBy('archive_no')
    .orderBy('version')
    .execute();
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError('not_found', `Дела с номерами записей ${missing.join(', ')} нет в описи: обновите список дел и выберите заново. Ничего не изменено.`);
  }
  const destroyed = rows.filter((r) => r.status === 'destroyed');
  if (destroyed.length > 0) {
    const list = destroyed.map((r) => `${volumeName(r)} (акт ${r.destruction_act ?? 'без номера'})`).join(', ');
    throw new ApiError('refused', `Уже уничтожены: ${list}. Уберите их из списка. Ничего не изменено.`);
  }
  const notDue = rows.filter((r) => r.destroy_after >= input.actDate);
  if (notDue.length > 0) {
    const list = notDue.map((r) => `${volumeName(r)} — срок хранения истекает ${ruDate(r.destroy_after)}`).join('; ');
    throw new ApiError(
      'refused',
      `На дату акта ${ruDate(input.actDate)} срок хранения ещё не истёк: ${list}. Такие дела уничтожать нельзя; уберите их из списка. Ничего не изменено.`,
    );
  }
  const act = actReference(input.actNumber, input.actDate);
  await trx
    .updateTable('archive_volume')
    .set({ status: 'destroyed', destroyed_at: input.at, destruction_act: act })
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({ id: r.id, archiveNo: r.archive_no, version: r.version, fileName: r.file_name }));
}

/**
 * Removes the destroyed volumes' files from the archive folder and the second copy. A file that
 * cannot be removed is reported in Russian (volume, copy, folder, what to do); a file already
 * gone is fine.
 */
export function removeVolumeFiles(volumes: readonly VolumeToDestroy[], folders: { main: string; mirror: string | null }): string[] {
  const problems: string[] = [];
  const copies: [string, string][] = [['основная копия', folders.main]];
  if (folders.mirror) copies.push(['вторая копия', folders.mirror]);
  for (const volume of volumes) {
    for (const [copy, root] of copies) {
      const path = resolveStored(root, volume.fileName);
      try {
        removeFile(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'ошибка';
        problems.push(`Дело ${volumeName({ archive_no: volume.archiveNo, version: volume.version })}, ${copy}: файл «${path}» не удалён (${code}). Удалите его вручную.`);
      }
    }
  }
  return problems;
}
