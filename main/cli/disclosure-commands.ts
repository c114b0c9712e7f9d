import type { DisclosedChange } from '../../common/api/disclosure-contract';
import { requireOption, optionText, type CommandModule, type CommandSession } from './args';
import { CommandError, UsageError } from './errors';
import { formatMoment, table } from './format';

/** Accounts whose credentials were disclosed: mark (and lock) them, list and revert their changes. */

async function userByLogin(session: CommandSession, key: string, login: string | undefined) {
  if (!login) throw new UsageError(`Не указан логин пользователя (${key} ЛОГИН).`);
  const { users } = await session.call('users.list', {});
  const user = users.find((u) => u.login === login.toLowerCase());
  if (!user) throw new CommandError(`Пользователь «${login}» не найден. Список: school-office user list.`);
  return user;
}

function outcome(change: DisclosedChange, reverted: ReadonlySet<number>, dryRun: boolean): string {
  if (reverted.has(change.auditId)) return dryRun ? 'будет отменено' : 'отменено';
  if (change.reverted) return 'отменено ранее';
  return change.conflict ? `не отменяется: ${change.conflict}` : dryRun ? 'будет отменено' : 'отменено';
}

function changesTable(changes: readonly DisclosedChange[], reverted: ReadonlySet<number>, dryRun: boolean): string {
  return table(
    ['№ записи', 'Время', 'Операция', 'Что изменено', 'Итог'],
    changes.map((c) => [String(c.auditId), formatMoment(c.at), c.title, c.summary, outcome(c, reverted, dryRun)]),
  );
}

export const disclosureCommands: CommandModule = {
  commands: ['user disclose', 'user revert-since'],
  options: { since: { type: 'string' }, note: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(key, values, argument, session) {
    const user = await userByLogin(session, key, argument);
    const since = requireOption(values, 'since');
    if (key === 'user disclose') {
      const note = optionText(values, 'note');
      const result = await session.call('users.disclose', { id: user.id, since, ...(note ? { note } : {}) });
      return [
        result,
        `Учётные данные ${user.login} отмечены как раскрытые с ${formatMoment(result.user.disclosedSince)}; учётная запись заблокирована, её сеансы завершены.\n` +
          `Изменений с этого момента: ${result.changes}. Просмотр и отмена: school-office user revert-since ${user.login} --since ${since} --dry-run`,
      ];
    }
    if (key === 'user revert-since') {
      const dryRun = values['dry-run'] === true;
      const result = await session.call('users.revertSince', { id: user.id, since, dryRun });
      // After a real run the listing shows what is now reverted; before it, what would be.
      const listing = await session.call('users.disclosedChanges', { id: user.id, since });
      const reverted = new Set(result.reverted);
      const head = dryRun
        ? `Пробный прогон (ничего не изменено): будет отменено ${result.reverted.length}, не отменяется ${result.conflicts.length}.`
        : `Отменено изменений: ${result.reverted.length}; не отменено: ${result.conflicts.length}.`;
      return [{ ...result, changes: listing.changes }, `${head}\n${changesTable(listing.changes, reverted, dryRun)}`];
    }
    throw new UsageError(`Неизвестная команда «${key}».`);
  },
};
