import { DECISIONS, DECISION_LABELS, type ClosePreview, type Decision } from '../../common/api/year-contract';
import { searchKey } from '../../common/domain/russian';
import { optionText, parseId, requireOption, type CommandModule, type CommandSession } from './args';
import { CommandError, UsageError } from './errors';
import { table } from './format';

/**
 * `year close ГОД --dry-run|--confirm` and `year decide ОБУЧАЮЩИЙСЯ --decision …`: the close of a
 * school year from the command line, through the same preview and close as the screen.
 * (`year open|list` live in year-commands.ts, `year reopen` with the reopen.)
 */

const ru = (iso: string) => iso.split('-').reverse().join('.');

async function yearByName(session: CommandSession, name: string | undefined) {
  if (!name) throw new UsageError('Не указан учебный год: например, year close 2025/2026.');
  const { years } = await session.call('years.list', {});
  const year = years.find((y) => y.name === name.trim());
  if (!year) throw new CommandError(`Учебный год «${name}» не найден. Учебные годы: ${years.map((y) => y.name).join(', ') || 'нет'}.`);
  return year;
}

/**
 * The year whose promotion is decided now: the one today falls in, else the latest begun before
 * today (the summer after it). Never a later year the pupil was moved into by a close: a decision
 * there would be a decision for the next June, and would block the reopen of the closed year.
 */
async function yearOfPupil(session: CommandSession, pupilId: number) {
  const { years } = await session.call('years.list', {});
  // classes.list answers for the app's today when no date is given.
  const today = (await session.call('classes.list', {})).date;
  const begun = years.filter((y) => y.startsOn <= today).sort((a, b) => (a.startsOn < b.startsOn ? 1 : -1));
  const year = begun.find((y) => y.endsOn >= today) ?? begun[0];
  if (!year) throw new CommandError('Учебный год ещё не начался: укажите год, например --year 2026/2027.');
  if (year.closed) throw new CommandError(`Учебный год ${year.name} закрыт: решения о переводе принимаются до закрытия. Для другого года укажите --year.`);
  const preview = await session.call('year.closePreview', { yearId: year.id });
  if (preview.decisions.some((d) => d.pupilId === pupilId)) return year;
  throw new CommandError(`Обучающийся № ${pupilId} не числится в классе на последний день учебного года ${year.name}. Для другого года укажите --year.`);
}

function previewText(p: ClosePreview): string {
  const lines = [`Закрытие учебного года ${p.year} (пробный прогон, ничего не изменено). Приказы от ${ru(p.orderDate)}.`];
  if (p.blockers.length > 0) {
    lines.push(`\nПрепятствия (${p.blockers.length}) — поставьте годовую отметку или примите решение вручную (year decide):`);
    lines.push(table(['№', 'Обучающийся', 'Класс', 'Причина'], p.blockers.map((b) => [String(b.pupilId), b.pupil, b.class, b.reason])));
  } else {
    lines.push('\nПрепятствий нет: год можно закрыть (year close … --confirm).');
  }
  if (p.warnings.length > 0) lines.push(`\nПредупреждения: ${p.warnings.length} (не мешают закрытию; подробно — с --json).`);
  lines.push(
    `\nРешения: переведены ${p.totals.promoted}, условно переведены ${p.totals.conditional}, оставлены на повторное обучение ${p.totals.repeat}, окончили ${p.totals.graduated}.`,
  );
  lines.push(`Следующий год: ${p.nextYear.name}${p.nextYear.exists ? '' : ' (будет открыт при закрытии, структура перенесётся)'}.`);
  lines.push(table(['Класс', 'Обучающихся', 'Откуда'], p.nextClasses.map((c) => [c.label, String(c.pupils), c.sources.map((s) => `${s.from}: ${s.pupils}`).join('; ')])));
  lines.push('\nПриказы:');
  lines.push(table(['Номер', 'Дата', 'Приказ', 'Обучающихся'], p.orders.map((o) => [o.number, ru(o.date), o.title, String(o.pupils)])));
  return lines.join('\n');
}

async function subjectIdsByName(session: CommandSession, yearId: number, text: string | undefined): Promise<number[]> {
  if (!text) return [];
  const { subjects } = await session.call('years.get', { yearId });
  return text
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const found = subjects.find((s) => searchKey(s.name) === searchKey(name) || searchKey(s.shortName) === searchKey(name));
      if (!found) throw new CommandError(`Предмет «${name}» не найден. Предметы: ${subjects.map((s) => s.name).join(', ')}.`);
      return found.id;
    });
}

export const yearCloseCommands: CommandModule = {
  commands: ['year close', 'year decide'],
  options: {
    'dry-run': { type: 'boolean' },
    confirm: { type: 'boolean' },
    decision: { type: 'string' },
    subjects: { type: 'string' },
    'order-date': { type: 'string' },
  },
  async run(key, values, argument, session) {
    if (key === 'year close') {
      const year = await yearByName(session, argument);
      const orderDate = optionText(values, 'order-date');
      const dryRun = values['dry-run'] === true;
      if (dryRun === (values.confirm === true)) throw new UsageError('Укажите одно из двух: --dry-run (только просмотр) или --confirm (закрыть год).');
      const preview = await session.call('year.closePreview', { yearId: year.id, ...(orderDate ? { orderDate } : {}) });
      if (dryRun) {
        const json = {
          year: preview.year,
          blockers: preview.blockers,
          warnings: preview.warnings,
          decisions: preview.decisions.map((d) => ({ pupilId: d.pupilId, pupil: d.pupil, class: d.class, decision: d.decision, proposed: d.proposed, explicit: d.explicit, nextClass: d.nextClass, subjects: d.subjects })),
          totals: preview.totals,
          nextYear: preview.nextYear,
          nextClasses: preview.nextClasses,
          orders: preview.orders,
        };
        return [json, previewText(preview)];
      }
      const result = await session.call('year.close', { yearId: year.id, ...(orderDate ? { orderDate } : {}) });
      if (!result.changed) return [result, `Учебный год ${result.year} уже закрыт: ничего не изменено.`];
      const text = [
        `Учебный год ${result.year} закрыт. Переведены ${result.totals.promoted}, условно переведены ${result.totals.conditional}, оставлены на повторное обучение ${result.totals.repeat}, окончили ${result.totals.graduated}.`,
        `Следующий год: ${result.nextYear.name}${result.nextYear.created ? ' (открыт при закрытии)' : ''}.`,
        ...result.orders.map((o) => `Приказ № ${o.number} от ${ru(o.date)} «${o.title}»: ${o.pupils} обуч.`),
        result.snapshot ? `Копия базы до закрытия: ${result.snapshot}` : '',
      ].filter(Boolean);
      return [result, text.join('\n')];
    }
    if (key === 'year decide') {
      const pupilId = parseId(argument, 'year decide ОБУЧАЮЩИЙСЯ');
      const raw = requireOption(values, 'decision');
      const decision: Decision | null = raw === 'none' ? null : (DECISIONS as readonly string[]).includes(raw) ? (raw as Decision) : null;
      if (decision === null && raw !== 'none') throw new UsageError(`Решение «${raw}» неизвестно: ${DECISIONS.join(', ')} (или none — вернуть предложенное по отметкам).`);
      const yearName = optionText(values, 'year');
      const year = yearName ? await yearByName(session, yearName) : await yearOfPupil(session, pupilId);
      const subjectIds = await subjectIdsByName(session, year.id, optionText(values, 'subjects'));
      const row = await session.call('year.decide', { yearId: year.id, pupilId, decision, subjectIds });
      const subjects = row.subjects.length > 0 ? ` (задолженность: ${row.subjects.join(', ')})` : '';
      return [
        row,
        `${row.pupil}, ${row.class}: ${DECISION_LABELS[row.decision]}${subjects}${row.nextClass ? ` → ${row.nextClass}` : ''}${row.explicit ? '' : ' (по годовым отметкам)'}; учебный год ${year.name}.`,
      ];
    }
    throw new UsageError(`Неизвестная команда «${key}».`);
  },
};
