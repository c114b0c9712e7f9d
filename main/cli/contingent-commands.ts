import type { Params } from '../../common/api/contract';
import { classIdByLabel, type CommandSession, type OptionValues } from './args';
import type { PupilInput } from '../../common/api/contingent';
import { writeDurably } from '../../db/durable-file';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, UsageError } from './errors';
import { table } from './format';

export type { CommandSession, OptionValues } from './args';

export const CONTINGENT_OPTIONS = {
  class: { type: 'string' },
  date: { type: 'string' },
  out: { type: 'string' },
  pupil: { type: 'string' },
  order: { type: 'string' },
  'order-date': { type: 'string' },
  'order-number': { type: 'string' },
  'last-name': { type: 'string' },
  'first-name': { type: 'string' },
  'middle-name': { type: 'string' },
  'birth-date': { type: 'string' },
  gender: { type: 'string' },
  snils: { type: 'string' },
  'doc-kind': { type: 'string' },
  'doc-series': { type: 'string' },
  'doc-number': { type: 'string' },
  'doc-issued-by': { type: 'string' },
  'doc-issued-on': { type: 'string' },
  'reg-address': { type: 'string' },
  'live-address': { type: 'string' },
  phone: { type: 'string' },
  email: { type: 'string' },
  place: { type: 'string' },
  reason: { type: 'string' },
  note: { type: 'string' },
  letter: { type: 'string' },
  all: { type: 'boolean' },
} as const;

export const CONTINGENT_COMMANDS = ['pupils list', 'pupils show', 'movement report', 'admit', 'transfer', 'leave', 'print alphabet-book', 'print order'];

const str = (v: OptionValues, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

function need(v: OptionValues, name: string): string {
  const value = str(v, name);
  if (!value) throw new UsageError(`Не указан параметр --${name}.`);
  return value;
}

function id(text: string | undefined, what: string): number {
  if (!text || !/^\d+$/.test(text)) throw new UsageError(`${what}: ожидается номер (целое число), а не «${text ?? ''}».`);
  return Number(text);
}


function orderRef(v: OptionValues) {
  const existing = str(v, 'order');
  if (existing) return { id: id(existing, '--order') };
  const date = need(v, 'order-date');
  const number = str(v, 'order-number');
  return number ? { date, number } : { date };
}

function pupilFromOptions(v: OptionValues): PupilInput {
  return {
    lastName: need(v, 'last-name'),
    firstName: need(v, 'first-name'),
    middleName: str(v, 'middle-name') ?? null,
    birthDate: need(v, 'birth-date'),
    gender: need(v, 'gender') as 'м' | 'ж',
    snils: str(v, 'snils') ?? null,
    docKind: (str(v, 'doc-kind') as PupilInput['docKind']) ?? null,
    docSeries: str(v, 'doc-series') ?? null,
    docNumber: str(v, 'doc-number') ?? null,
    docIssuedBy: str(v, 'doc-issued-by') ?? null,
    docIssuedOn: str(v, 'doc-issued-on') ?? null,
    regAddress: str(v, 'reg-address') ?? null,
    liveAddress: str(v, 'live-address') ?? null,
    phone: str(v, 'phone') ?? null,
    email: str(v, 'email') ?? null,
  };
}

async function savePdf(out: string, pdfBase64: string): Promise<string> {
  const path = resolve(out);
  const bytes = Buffer.from(pdfBase64, 'base64');
  await writeDurably(path, async (tmp) => writeFileSync(tmp, bytes));
  return path;
}

const ru = (iso: string | null) => (iso ? iso.split('-').reverse().join('.') : '—');

/** Runs one contingent command; returns [machine result, human text]. */
export async function runContingentCommand(key: string, v: OptionValues, arg: string | undefined, session: CommandSession): Promise<[unknown, string]> {
  switch (key) {
    case 'pupils list': {
      const date = str(v, 'date');
      const classLabel = str(v, 'class');
      const classId = classLabel ? await classIdByLabel(session, classLabel, date) : undefined;
      const found = await session.call('pupils.search', { ...(date ? { date } : {}), ...(classId ? { classId } : {}), includeNotEnrolled: v.all === true, limit: 5000 });
      const rows = found.rows.map((r) => ({ id: r.id, lastName: r.lastName, firstName: r.firstName, middleName: r.middleName, birthDate: r.birthDate, class: r.class, fileNo: r.fileNo }));
      const text = table(
        ['№', 'ФИО', 'Дата рождения', 'Класс', 'Личное дело'],
        rows.map((r) => [String(r.id), [r.lastName, r.firstName, r.middleName].filter(Boolean).join(' '), ru(r.birthDate), r.class ?? '—', r.fileNo ?? '—']),
      );
      return [rows, `${text}\nВсего: ${found.total} на ${ru(found.date)}.`];
    }
    case 'pupils show': {
      const card = await session.call('pupils.get', { id: id(arg, 'pupils show') });
      const lines = [
        `${[card.lastName, card.firstName, card.middleName].filter(Boolean).join(' ')}, ${ru(card.birthDate)}`,
        `Личное дело: ${card.fileNo ?? '—'}; класс: ${card.class ?? 'не обучается'}`,
        'История:',
        ...card.events.map((e) => `  ${ru(e.date)} ${e.kindLabel}${e.order ? `, приказ ${e.order} от ${ru(e.orderDate)}` : ''}${e.toClass ? ` → ${e.toClass}` : ''}${e.cancelled ? ' (отменено)' : ''}`),
      ];
      return [card, lines.join('\n')];
    }
    case 'movement report': {
      const report = await session.call('movement.report', { from: need(v, 'from'), to: need(v, 'to') });
      const text = table(
        ['Класс', 'На начало', 'Прибыло', 'Выбыло', 'На конец'],
        [...report.classes.map((c) => [c.class, String(c.start), String(c.arrived), String(c.left), String(c.end)]), ['Итого', String(report.totals.start), String(report.totals.arrived), String(report.totals.left), String(report.totals.end)]],
      );
      return [report, `Движение обучающихся с ${ru(report.from)} по ${ru(report.to)}\n${text}`];
    }
    case 'admit': {
      const date = str(v, 'date') ?? str(v, 'order-date');
      const classId = await classIdByLabel(session, need(v, 'class'), date);
      const existing = str(v, 'pupil');
      const result = await session.call('movement.admit', {
        order: orderRef(v),
        classId,
        ...(str(v, 'date') ? { date: str(v, 'date') } : {}),
        ...(existing ? { pupilId: id(existing, '--pupil') } : { pupil: pupilFromOptions(v) }),
        place: str(v, 'place') ?? null,
      });
      return [result, `Зачислен(а): № ${result.pupilId}, личное дело ${result.fileNo ?? '—'}, приказ ${result.order}.`];
    }
    case 'transfer': {
      const date = str(v, 'date') ?? str(v, 'order-date');
      const toClassId = await classIdByLabel(session, need(v, 'class'), date);
      const result = await session.call('movement.transfer', { pupilId: id(str(v, 'pupil'), '--pupil'), toClassId, order: orderRef(v), ...(str(v, 'date') ? { date: str(v, 'date') } : {}) });
      return [result, `Переведён(а) в ${need(v, 'class')} по приказу ${result.order}.`];
    }
    case 'leave': {
      const result = await session.call('movement.leave', {
        pupilId: id(str(v, 'pupil'), '--pupil'),
        order: orderRef(v),
        ...(str(v, 'date') ? { date: str(v, 'date') } : {}),
        reason: need(v, 'reason') as never,
        place: str(v, 'place') ?? null,
        note: str(v, 'note') ?? null,
      });
      return [result, `Выбытие оформлено приказом ${result.order}; отозвано кодов доступа: ${result.revokedCodes}.`];
    }
    case 'print alphabet-book':
    case 'print order': {
      const out = need(v, 'out');
      let document: Params<'print.document'>['document'];
      if (key === 'print alphabet-book') {
        const letter = str(v, 'letter');
        document = letter ? { kind: 'alphabetBook', letter: letter.toUpperCase() } : { kind: 'alphabetBook' };
      } else {
        if (!arg) throw new UsageError('Укажите номер приказа: print order 12-у --out приказ.pdf');
        const { orders } = await session.call('orders.list', {});
        const wanted = arg.trim().toLowerCase();
        const found = orders.find((o) => o.number.toLowerCase() === wanted) ?? orders.find((o) => /^\d+$/.test(wanted) && o.number.replace(/\D.*$/, '') === wanted);
        if (!found) throw new CommandError(`Приказ № ${arg} не найден в книге приказов текущего учебного года.`);
        document = { kind: 'order', orderId: found.id };
      }
      const printed = await session.call('print.document', { document });
      const path = await savePdf(out, printed.pdfBase64);
      return [{ file: path, title: printed.title, pages: printed.pages }, `Напечатано: ${printed.title}, страниц: ${printed.pages} → ${path}`];
    }
    default:
      throw new UsageError(`Неизвестная команда «${key}».`);
  }
}
