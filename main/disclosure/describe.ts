import type { Db } from '../../db/connection';
import { fieldList } from './format';
import { Refusal, type DisclosedEntry } from './types';

const fio = (p: { last_name: string; first_name: string; middle_name: string | null }) => [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

/** «Иванов Иван Петрович (обучающийся № 12)»: who or what an entry is about, looked up now. */
export async function describeObject(db: Db, entity: string | null, entityId: string | null): Promise<string> {
  const id = entityId === null ? NaN : Number(entityId);
  switch (entity) {
    case 'pupil': {
      const p = Number.isInteger(id) ? await db.selectFrom('pupil').select(['last_name', 'first_name', 'middle_name']).where('id', '=', id).executeTakeFirst() : undefined;
      return p ? `${fio(p)} (обучающийся № ${id})` : `обучающийся № ${entityId}`;
    }
    case 'guardian': {
      const g = Number.isInteger(id) ? await db.selectFrom('guardian').select(['last_name', 'first_name', 'middle_name']).where('id', '=', id).executeTakeFirst() : undefined;
      return g ? `${fio(g)} (представитель № ${id})` : `законный представитель № ${entityId}`;
    }
    case 'user': {
      const u = Number.isInteger(id) ? await db.selectFrom('app_user').select(['login']).where('id', '=', id).executeTakeFirst() : undefined;
      return u ? `пользователь ${u.login}` : `пользователь № ${entityId}`;
    }
    case 'access_code':
      return `код доступа № ${entityId}`;
    case 'school':
      return 'сведения о школе';
    case 'settings':
      return 'настройки программы';
    case 'school_class':
      return `класс № ${entityId}`;
    case 'movement_event':
      return `запись о движении № ${entityId}`;
    default:
      return entity ? `${entity}${entityId ? ` № ${entityId}` : ''}` : 'без объекта';
  }
}

/** Keys whose values differ between `before` and `after` of an update entry. */
export function changedKeys(entry: DisclosedEntry, allowed?: readonly string[]): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => (!allowed || allowed.includes(k)) && JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

/** «изменено: телефон, адрес проживания» */
export function changedText(entry: DisclosedEntry, allowed?: readonly string[]): string {
  const keys = changedKeys(entry, allowed);
  return keys.length ? `изменено: ${fieldList(keys)}` : 'без изменений значений';
}

/**
 * The current values must still be those the change wrote; otherwise someone (or something)
 * changed them since, and putting the old ones back would silently undo that too.
 */
export function ensureStillAfter(current: Record<string, unknown>, entry: DisclosedEntry, keys: readonly string[]): void {
  const after = entry.after ?? {};
  const moved = keys.filter((k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(after[k] ?? null));
  if (moved.length > 0) throw new Refusal(`значения изменены позднее (${fieldList(moved)}): сейчас они не совпадают с внесёнными этой записью`);
}

/** camelCase API field → snake_case column. */
export function columnOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}
