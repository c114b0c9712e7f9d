import { ApiError } from '../../../common/api/errors';
import type { Decision } from '../../../common/api/year-contract';
import type { OrderKind } from '../../../common/api/contingent';

/** «2025/2026» → «2026/2027». */
export function nextYearName(name: string): string {
  const match = /^(\d{4})\/(\d{4})$/.exec(name);
  if (!match) throw new ApiError('refused', `Название учебного года «${name}» записано не в виде 2025/2026: следующий год не определить.`);
  const second = Number(match[2]);
  return `${second}/${second + 1}`;
}

/** The lead's default dates of a year the close opens: 1 September to 31 May. */
export function defaultYearDates(name: string): { startsOn: string; endsOn: string } {
  const first = Number(name.slice(0, 4));
  return { startsOn: `${first}-09-01`, endsOn: `${first + 1}-05-31` };
}

export const DECISION_ORDER_KIND: Record<Decision, OrderKind & ('promotion' | 'conditional_promotion' | 'repeat' | 'graduation')> = {
  promoted: 'promotion',
  conditional: 'conditional_promotion',
  repeat: 'repeat',
  graduated: 'graduation',
};

/** The order of the close's orders in the order book (and of their numbers). */
export const CLOSE_ORDER_KINDS = ['promotion', 'conditional_promotion', 'repeat', 'graduation'] as const;
export type CloseOrderKind = (typeof CLOSE_ORDER_KINDS)[number];

export const CLOSE_ORDER_TITLES: Record<CloseOrderKind, string> = {
  promotion: 'О переводе обучающихся в следующий класс',
  conditional_promotion: 'Об условном переводе обучающихся в следующий класс',
  repeat: 'Об оставлении обучающихся на повторное обучение',
  graduation: 'О выпуске обучающихся',
};

/** The operative wording; the body then lists the pupils by class. */
export const CLOSE_ORDER_WORDING: Record<CloseOrderKind, string> = {
  promotion: 'На основании решения педагогического совета ПРИКАЗЫВАЮ: перевести в следующий класс обучающихся, освоивших образовательную программу учебного года:',
  conditional_promotion:
    'На основании решения педагогического совета ПРИКАЗЫВАЮ: перевести условно в следующий класс обучающихся, имеющих академическую задолженность, с её ликвидацией в установленные сроки:',
  repeat: 'На основании решения педагогического совета и заявлений родителей (законных представителей) ПРИКАЗЫВАЮ: оставить на повторное обучение обучающихся:',
  graduation: 'На основании решения педагогического совета ПРИКАЗЫВАЮ: выпустить из школы обучающихся, освоивших образовательную программу:',
};

/** Parallels whose pupils may finish school («окончил»): the end of basic and of secondary education. */
export const GRADUATING_PARALLELS: ReadonlySet<number> = new Set([9, 11]);
export const LAST_PARALLEL = 11;
