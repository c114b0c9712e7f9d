import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { CONSENT_PURPOSES, CONSENT_PURPOSE_LABELS, CONSENT_STATUS_LABELS, type ConsentPurpose, type SCAN_MIME_TYPES } from '../../common/api/consents';
import { classIdByLabel, optionText, parseId, requireOption, type CommandModule, type OptionValues } from './args';
import { CommandError, UsageError } from './errors';
import { table } from './format';

/**
 * Consents from the command line: the coverage report of a class or of the school, recording a
 * decision from a signed paper form (with its scan), a withdrawal, and the consent texts.
 */

const ru = (iso: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('.') : '—');

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(v: OptionValues, name: string, required: true): string;
function day(v: OptionValues, name: string, required: false): string | undefined;
function day(v: OptionValues, name: string, required: boolean): string | undefined {
  const value = required ? requireOption(v, name) : optionText(v, name);
  if (value !== undefined && !DAY.test(value)) throw new UsageError(`--${name}: ожидается дата в виде ГГГГ-ММ-ДД, а не «${value}».`);
  return value;
}

function purposeOf(v: OptionValues): ConsentPurpose {
  const value = requireOption(v, 'purpose');
  if (!(CONSENT_PURPOSES as readonly string[]).includes(value)) {
    throw new UsageError(`--purpose: ожидается одно из ${CONSENT_PURPOSES.join(', ')}, а не «${value}».`);
  }
  return value as ConsentPurpose;
}

const MIME_BY_EXTENSION: Record<string, (typeof SCAN_MIME_TYPES)[number]> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

function readScan(file: string): { fileName: string; mime: (typeof SCAN_MIME_TYPES)[number]; contentBase64: string } {
  const path = resolve(file);
  const mime = MIME_BY_EXTENSION[extname(path).toLowerCase()];
  if (!mime) throw new UsageError(`--scan: допускаются файлы PDF, JPEG или PNG (.pdf, .jpg, .png), а не «${basename(path)}».`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CommandError(`Файл скана не найден или не читается: ${path}`);
  }
  return { fileName: basename(path), mime, contentBase64: bytes.toString('base64') };
}

async function report(v: OptionValues, session: Parameters<CommandModule['run']>[3]): Promise<[unknown, string]> {
  const date = day(v, 'date', false);
  const label = optionText(v, 'class');
  const classId = label ? await classIdByLabel(session, label, date) : undefined;
  const result = await session.call('consents.coverage', { ...(classId !== undefined ? { classId } : {}), ...(date ? { date } : {}) });
  const lines = [`Согласия на ${ru(result.date)}`];
  for (const c of result.classes) {
    lines.push('', `${c.class} класс: обучающихся ${c.pupils}, недостающих согласий ${c.missing.length}, отказов от электронного дневника ${c.refusedElectronic.length}`);
    if (c.missing.length > 0) {
      lines.push(table(['Кто', 'Согласие', 'Причина'], c.missing.map((m) => [m.person, CONSENT_PURPOSE_LABELS[m.purpose], m.reason])));
    }
    if (c.refusedElectronic.length > 0) {
      lines.push('Отказались от электронного дневника (выписки на бумаге):');
      lines.push(table(['Представитель', 'Обучающийся', 'Решение', 'Дата'], c.refusedElectronic.map((r) => [r.guardian, r.pupil, CONSENT_STATUS_LABELS[r.status], ru(r.decidedOn)])));
    }
  }
  return [result, lines.join('\n')];
}

export const CONSENTS_MODULE: CommandModule = {
  commands: ['consents report', 'consents show', 'consents record', 'consents withdraw', 'consents templates'],
  options: {
    class: { type: 'string' },
    date: { type: 'string' },
    pupil: { type: 'string' },
    note: { type: 'string' },
    guardian: { type: 'string' },
    purpose: { type: 'string' },
    status: { type: 'string' },
    'signed-by': { type: 'string' },
    'pupil-signed': { type: 'boolean' },
    categories: { type: 'string' },
    'template-version': { type: 'string' },
    scan: { type: 'string' },
    consent: { type: 'string' },
  },
  async run(key, v, _argument, session) {
    switch (key) {
      case 'consents report':
        return report(v, session);
      case 'consents record': {
        const status = requireOption(v, 'status');
        if (status !== 'given' && status !== 'refused') throw new UsageError(`--status: ожидается given (дано) или refused (отказ), а не «${status}».`);
        const guardian = optionText(v, 'guardian');
        const signedBy = optionText(v, 'signed-by');
        const version = optionText(v, 'template-version');
        const categories = optionText(v, 'categories');
        const note = optionText(v, 'note');
        const scan = optionText(v, 'scan');
        const result = await session.call('consents.record', {
          purpose: purposeOf(v),
          pupilId: parseId(requireOption(v, 'pupil'), '--pupil'),
          status,
          date: day(v, 'date', true),
          ...(guardian ? { guardianId: parseId(guardian, '--guardian') } : {}),
          ...(signedBy ? { signedByGuardianId: parseId(signedBy, '--signed-by') } : {}),
          ...(v['pupil-signed'] === true ? { signedByPupil: true } : {}),
          ...(version ? { templateVersion: parseId(version, '--template-version') } : {}),
          ...(categories !== undefined ? { categories: categories.split(';').map((c) => c.trim()).filter(Boolean) } : {}),
          ...(note ? { note } : {}),
          ...(scan ? { scan: readScan(scan) } : {}),
        });
        const revoked = result.revokedCodes > 0 ? `; отозвано кодов доступа: ${result.revokedCodes}` : '';
        return [result, `Записано: согласие № ${result.consentId} (${status === 'given' ? 'дано' : 'отказ'})${revoked}.`];
      }
      case 'consents withdraw': {
        const note = optionText(v, 'note');
        const result = await session.call('consents.withdraw', {
          consentId: parseId(requireOption(v, 'consent'), '--consent'),
          date: day(v, 'date', true),
          ...(note ? { note } : {}),
        });
        const due = result.destroyDue ? `; уничтожить данные до ${ru(result.destroyDue)}` : '';
        const revoked = result.revokedCodes > 0 ? `; отозвано кодов доступа: ${result.revokedCodes}` : '';
        return [result, `Согласие отозвано: запись № ${result.consentId}${due}${revoked}.`];
      }
      case 'consents show': {
        // The family's consents with their numbers: what `consents withdraw --consent N` needs.
        const result = await session.call('consents.family', { pupilId: parseId(requireOption(v, 'pupil'), '--pupil') });
        const rows = result.subjects.flatMap((s) =>
          s.purposes.map((p) => [
            p.consentId === null ? '—' : String(p.consentId),
            s.kind === 'pupil' ? `${s.name} (обучающийся)` : `${s.name} (${s.kinship ?? 'представитель'})`,
            CONSENT_PURPOSE_LABELS[p.purpose],
            p.status === null ? 'нет' : CONSENT_STATUS_LABELS[p.status],
            ru(p.decidedOn),
            p.destroyDue ? `уничтожить до ${ru(p.destroyDue)}` : '',
          ]),
        );
        return [result, `Согласия семьи: ${result.pupil}\n${table(['№', 'Чьё', 'Согласие', 'Решение', 'Дата', 'Срок'], rows)}`];
      }
      case 'consents templates': {
        const result = await session.call('consentTemplates.list', {});
        const text =
          result.templates.length === 0
            ? 'Тексты согласий ещё не заполнены (раздел «Согласия» → «Тексты согласий»).'
            : table(
                ['№', 'Согласие', 'Редакция', 'Заголовок', 'Действует', 'Создана'],
                result.templates.map((t) => [String(t.id), CONSENT_PURPOSE_LABELS[t.purpose], String(t.version), t.title, t.current ? 'да' : 'нет', ru(t.createdAt)]),
              );
        return [result, text];
      }
      default:
        throw new UsageError(`Неизвестная команда «${key}».`);
    }
  },
};
