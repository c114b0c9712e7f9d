import { CONSENT_PURPOSES, type ConsentPurpose } from '../../common/api/consents';
import type { Params } from '../../common/api/contract';
import { classIdByLabel, optionText, parseId, requireOption, writePdf, type CommandModule, type CommandSession, type OptionValues } from './args';
import { UsageError } from './errors';

/**
 * Printed consent documents from the command line: the pre-filled forms of a family or a class,
 * the coverage list for the class teacher and the act of destruction. Each writes one PDF.
 */

type PrintDocument = Params<'print.document'>['document'];

/** `--purposes pupil_data,guardian_data` → the listed purposes, each checked. */
export function parsePurposes(text: string | undefined): ConsentPurpose[] | undefined {
  if (text === undefined) return undefined;
  const list = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError(`Параметр --purposes: перечислите цели через запятую (${CONSENT_PURPOSES.join(', ')}).`);
  const unknown = list.filter((p) => !(CONSENT_PURPOSES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new UsageError(`Параметр --purposes: неизвестная цель «${unknown.join(', ')}»; возможные: ${CONSENT_PURPOSES.join(', ')}.`);
  return [...new Set(list)] as ConsentPurpose[];
}

async function print(session: CommandSession, out: string, document: PrintDocument) {
  const printed = await session.call('print.document', { document });
  const file = await writePdf(out, printed.pdfBase64);
  return { printed, file };
}

async function run(key: string, v: OptionValues, _argument: string | undefined, session: CommandSession): Promise<[unknown, string]> {
  switch (key) {
    case 'consents forms': {
      const classLabel = optionText(v, 'class');
      const pupil = optionText(v, 'pupil');
      if ((classLabel === undefined) === (pupil === undefined)) throw new UsageError('Укажите либо --class 5А, либо --pupil N (одно из двух).');
      const out = requireOption(v, 'out');
      const purposes = parsePurposes(optionText(v, 'purposes'));
      const document: PrintDocument = classLabel
        ? { kind: 'consentFormsClass', classId: await classIdByLabel(session, classLabel), ...(purposes ? { purposes } : {}) }
        : { kind: 'consentFormsFamily', pupilId: parseId(pupil, 'Параметр --pupil'), ...(purposes ? { purposes } : {}) };
      const { printed, file } = await print(session, out, document);
      const forms = printed.documents ?? 0;
      return [{ file, pages: printed.pages, forms }, `Напечатано: ${printed.title}; бланков ${forms}, страниц ${printed.pages} → ${file}`];
    }
    case 'consents coverage-list': {
      const out = requireOption(v, 'out');
      const classId = await classIdByLabel(session, requireOption(v, 'class'));
      const { printed, file } = await print(session, out, { kind: 'consentCoverage', classId });
      return [{ file, pages: printed.pages }, `Напечатано: ${printed.title}; страниц ${printed.pages} → ${file}`];
    }
    case 'consents act': {
      const out = requireOption(v, 'out');
      const actId = parseId(requireOption(v, 'act'), 'Параметр --act');
      const { printed, file } = await print(session, out, { kind: 'destructionAct', actId });
      return [{ file, pages: printed.pages }, `Напечатано: ${printed.title}; страниц ${printed.pages} → ${file}`];
    }
    default:
      throw new UsageError(`Неизвестная команда «${key}».`);
  }
}

export const CONSENT_PRINT_COMMANDS: CommandModule = {
  commands: ['consents forms', 'consents coverage-list', 'consents act'],
  options: {
    class: { type: 'string' },
    pupil: { type: 'string' },
    out: { type: 'string' },
    purposes: { type: 'string' },
    act: { type: 'string' },
  },
  run,
};
