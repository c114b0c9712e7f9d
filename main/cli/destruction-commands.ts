import { CONSENT_PURPOSE_LABELS } from '../../common/api/consents';
import { optionText, parseId, requireOption, type CommandModule, type OptionValues } from './args';
import { UsageError } from './errors';
import { table } from './format';

/** Withdrawn consents due for destruction, the destruction itself and the register of acts. */
const ru = (iso: string) => iso.split('-').reverse().join('.');
const actNo = (number: string, date: string) => `№ ${number.slice(number.indexOf('-') + 1)} от ${ru(date)}`;

function commission(v: OptionValues): string[] | undefined {
  const raw = (v as Record<string, unknown>).commission;
  const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? [raw] : [];
  return list.length ? list : undefined;
}

export const DESTRUCTION_MODULE: CommandModule = {
  commands: ['consents due', 'consents destroy', 'consents acts'],
  options: {
    consent: { type: 'string' },
    date: { type: 'string' },
    method: { type: 'string' },
    commission: { type: 'string', multiple: true },
  },
  async run(key, v, _argument, session) {
    switch (key) {
      case 'consents due': {
        const result = await session.call('consents.due', {});
        if (result.rows.length === 0) return [result, `На ${ru(result.today)} нет отозванных согласий, по которым нужно уничтожить данные.`];
        const text = table(
          ['Согласие', 'Чьи данные', 'Цель', 'Отозвано', 'Уничтожить до', 'Осталось дней'],
          result.rows.map((r) => [String(r.consentId), r.subject, CONSENT_PURPOSE_LABELS[r.purpose], ru(r.withdrawnOn), ru(r.destroyDue), r.overdue ? `просрочено на ${-r.daysLeft}` : String(r.daysLeft)]),
        );
        return [result, `Данные к уничтожению на ${ru(result.today)}\n${text}`];
      }
      case 'consents destroy': {
        const consentId = parseId(requireOption(v, 'consent'), '--consent');
        const actDate = requireOption(v, 'date');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(actDate)) throw new UsageError(`--date: ожидается дата акта ГГГГ-ММ-ДД, а не «${actDate}».`);
        const method = optionText(v, 'method');
        const members = commission(v);
        const result = await session.call('consents.destroy', { consentId, actDate, ...(method ? { method } : {}), ...(members ? { commission: members } : {}) });
        const lines = [
          `Составлен акт об уничтожении персональных данных ${actNo(result.number, actDate)}.`,
          result.destroyed.length ? `Уничтожено: ${result.destroyed.join(', ')}.` : 'Полей с данными в картотеке не было.',
          `Записей журнала действий, из которых стёрты данные: ${result.auditEntriesErased}.`,
          `Напечатать акт: school-office consents act --act ${result.actId} --out акт.pdf`,
        ];
        return [result, lines.join('\n')];
      }
      case 'consents acts': {
        const result = await session.call('consents.acts', {});
        if (result.acts.length === 0) return [result, 'Актов об уничтожении персональных данных нет.'];
        const text = table(
          ['Акт', 'Номер', 'Чьи данные', 'Основание', 'Хранить до', 'Записей журнала'],
          result.acts.map((a) => [String(a.id), actNo(a.number, a.actDate), a.subject, a.reason, ru(a.keepUntil), String(a.logEntries)]),
        );
        return [result, `Акты об уничтожении персональных данных\n${text}`];
      }
      default:
        throw new UsageError(`Неизвестная команда «${key}».`);
    }
  },
};
