import { roleMayCall, type MethodName } from '../../common/api/contract';
import type { Role } from '../../common/roles';

/**
 * The one role → section table of the window.
 *
 * A section that already works names its main API method: it is shown to the roles that may
 * call it (from the contract, so the menu can never promise what the main process refuses).
 * A section still to come names the roles who will work there (see docs on the domain) and is
 * shown to them as an honest empty state.
 */
export type SectionId =
  | 'overview'
  | 'pupils'
  | 'orders'
  | 'consents'
  | 'codes'
  | 'year'
  | 'exchange'
  | 'archive'
  | 'backups'
  | 'audit'
  | 'users'
  | 'settings';

interface SectionBase {
  id: SectionId;
  title: string;
}
export interface ReadySection extends SectionBase {
  kind: 'ready';
  method: MethodName;
  /** Narrows the menu to these roles when the method is open to more (e.g. the archivist reads pupils for printing only). */
  roles?: readonly Role[];
}
export interface PlannedSection extends SectionBase {
  kind: 'planned';
  roles: readonly Role[];
  /** What the section will hold, for its empty state. */
  holds: string;
}
export type Section = ReadySection | PlannedSection;

/** In menu order. */
export const SECTIONS: readonly Section[] = [
  { id: 'overview', title: 'Обзор', kind: 'ready', method: 'school.overview' },
  { id: 'pupils', title: 'Контингент', kind: 'ready', method: 'pupils.search', roles: ['secretary', 'admin', 'director'] },
  { id: 'orders', title: 'Приказы', kind: 'ready', method: 'orders.list', roles: ['secretary', 'admin', 'director'] },
  { id: 'consents', title: 'Согласия', kind: 'ready', method: 'consents.coverage', roles: ['secretary', 'admin', 'director'] },
  { id: 'codes', title: 'Коды доступа', kind: 'ready', method: 'codes.list', roles: ['secretary', 'admin', 'director'] },
  { id: 'year', title: 'Учебный год', kind: 'ready', method: 'years.get', roles: ['admin', 'director'] },
  { id: 'exchange', title: 'Обмен данными', kind: 'ready', method: 'exchange.import' },
  { id: 'archive', title: 'Печать и архив', kind: 'ready', method: 'archive.list' },
  { id: 'backups', title: 'Резервные копии', kind: 'ready', method: 'backup.status' },
  { id: 'audit', title: 'Журнал действий', kind: 'ready', method: 'audit.list' },
  { id: 'users', title: 'Пользователи', kind: 'ready', method: 'users.list' },
  { id: 'settings', title: 'Настройки', kind: 'ready', method: 'settings.get' },
];

export function sectionVisible(section: Section, role: Role): boolean {
  return section.kind === 'ready'
    ? roleMayCall(section.method, role) && (section.roles?.includes(role) ?? true)
    : section.roles.includes(role);
}

export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((section) => sectionVisible(section, role));
}

export function isSectionId(value: string): value is SectionId {
  return SECTIONS.some((section) => section.id === value);
}
