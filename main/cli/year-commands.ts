import type { YearSummary } from '../../common/api/year-contract';
import { defaultYearDates } from '../../common/domain/year-calendar';
import { optionText, requireOption, type CommandModule, type CommandSession } from './args';
import { CommandError, UsageError } from './errors';
import { table } from './format';

/**
 * `year open` and `year list`: opening a school year (with its structure rolled forward from
 * another year) and the list of years. The close (`year close|decide|reopen`) is another module
 * with its own command keys (year-close-commands.ts).
 */

const ru = (iso: string) => iso.split('-').reverse().join('.');

async function yearIdByName(session: CommandSession, name: string): Promise<number> {
  const { years } = await session.call('years.list', {});
  const year = years.find((y) => y.name === name.trim());
  if (!year) throw new CommandError(`Учебный год «${name}» не найден. Учебные годы: ${years.map((y) => y.name).join(', ') || 'нет'}.`);
  return year.id;
}

function listText(years: YearSummary[]): string {
  if (years.length === 0) return 'Учебных годов нет. Откройте год: school-office year open --name 2026/2027 --from 2026-09-01 --to 2027-05-31';
  return table(
    ['Год', 'Начало', 'Конец', 'Классов', 'Обучающихся', 'Состояние'],
    years.map((y) => [y.name, ru(y.startsOn), ru(y.endsOn), String(y.classes), String(y.pupils), y.closed ? 'закрыт' : 'открыт']),
  );
}

export const yearCommands: CommandModule = {
  commands: ['year open', 'year list'],
  options: {
    'copy-from': { type: 'string' },
  },
  async run(key, values, _argument, session) {
    if (key === 'year list') {
      const { years } = await session.call('years.list', {});
      return [years, listText(years)];
    }
    if (key !== 'year open') throw new UsageError(`Неизвестная команда «${key}».`);
    const name = requireOption(values, 'name').trim();
    const defaults = defaultYearDates(name);
    const startsOn = optionText(values, 'from') ?? defaults?.startsOn;
    const endsOn = optionText(values, 'to') ?? defaults?.endsOn;
    if (!startsOn || !endsOn) throw new UsageError('Укажите даты года: --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД (или название вида 2026/2027).');
    const copyFrom = optionText(values, 'copy-from');
    const copyFromYearId = copyFrom ? await yearIdByName(session, copyFrom) : undefined;
    const opened = await session.call('years.open', { name, startsOn, endsOn, ...(copyFromYearId ? { copyFromYearId } : {}) });
    const head = `Открыт учебный год ${name} (${ru(startsOn)}–${ru(endsOn)}), № ${opened.yearId}.`;
    const c = opened.copied;
    const body = c
      ? `Из ${copyFrom ?? ''} перенесено: классов ${c.classes}, строк учебного плана ${c.curriculum}, групп ${c.groups}, периодов ${c.periods}, каникул ${c.holidays}. Проверьте классных руководителей новых 1-х классов.`
      : 'Созданы периоды по умолчанию (4 четверти и 2 полугодия); каникулы, классы и учебный план добавьте в разделе «Учебный год».';
    return [{ yearId: opened.yearId, name, copied: opened.copied }, `${head}\n${body}`];
  },
};
