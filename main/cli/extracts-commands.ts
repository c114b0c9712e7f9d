import { weekOf } from '../print/extract-loader';
import { classIdByLabel, requireOption, writePdf, type CommandModule } from './args';
import { UsageError } from './errors';

/**
 * `extracts print`: the weekly paper extracts of a class for the families who refused the
 * electronic diary, one extract per pupil (the print result counts them).
 */

export const EXTRACTS_MODULE: CommandModule = {
  commands: ['extracts print'],
  options: {
    week: { type: 'string' },
    class: { type: 'string' },
    out: { type: 'string' },
  },
  async run(key, values, _argument, session) {
    if (key !== 'extracts print') throw new UsageError(`Неизвестная команда «${key}».`);
    const week = requireOption(values, 'week');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(week) || Number.isNaN(Date.parse(`${week}T00:00:00Z`))) {
      throw new UsageError(`--week: ожидается дата недели в виде ГГГГ-ММ-ДД, а не «${week}».`);
    }
    const label = requireOption(values, 'class');
    const out = requireOption(values, 'out');
    const classId = await classIdByLabel(session, label, week);
    const printed = await session.call('print.document', { document: { kind: 'weeklyExtracts', classId, week } });
    const file = await writePdf(out, printed.pdfBase64);
    const pupils = printed.documents ?? 0;
    const range = weekOf(week);
    return [
      { file, pages: printed.pages, pupils, week: range },
      `Напечатано: ${printed.title}; выписок ${pupils}, страниц ${printed.pages} → ${file}`,
    ];
  },
};
