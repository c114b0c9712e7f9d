import { REOPEN_REMOVED_LABELS } from '../../common/api/year-contract';
import type { CommandModule } from './args';
import { CommandError, UsageError } from './errors';

/**
 * `year reopen ГОД`: undoes the close of a school year exactly, through the same method as the
 * screen; refused (exit 1, the reason on stderr) while the next year depends on the close.
 */
export const yearReopenCommands: CommandModule = {
  commands: ['year reopen'],
  options: {},
  async run(key, _values, argument, session) {
    if (key !== 'year reopen') throw new UsageError(`Неизвестная команда «${key}».`);
    if (!argument) throw new UsageError('Не указан учебный год: например, year reopen 2025/2026.');
    const { years } = await session.call('years.list', {});
    const year = years.find((y) => y.name === argument.trim());
    if (!year) throw new CommandError(`Учебный год «${argument}» не найден. Учебные годы: ${years.map((y) => y.name).join(', ') || 'нет'}.`);
    const result = await session.call('year.reopen', { yearId: year.id });
    if (!result.changed) return [result, `Учебный год ${result.year} не закрыт: ничего не изменено.`];
    const removed = Object.entries(result.removed).map(([kind, n]) => `${REOPEN_REMOVED_LABELS[kind] ?? kind}: ${n}`);
    const text = `Закрытие учебного года ${result.year} отменено: год снова открыт.${removed.length > 0 ? `\nУдалено из созданного закрытием — ${removed.join(', ')}.` : ''}`;
    return [result, text];
  },
};
