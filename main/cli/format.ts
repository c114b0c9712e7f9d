import type { AuditEntry, User } from '../../common/api/schemas';
import { roleLabel } from '../../common/roles';

/** Plain-text tables for the terminal: columns padded to the widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatMoment(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function usersTable(users: User[]): string {
  return table(
    ['Логин', 'ФИО', 'Роль', 'Состояние', 'Последний вход'],
    users.map((u) => [
      u.login,
      u.fullName,
      roleLabel(u.role),
      u.locked ? 'заблокирован' : u.failedAttempts > 0 ? `активен (неудачных попыток: ${u.failedAttempts})` : 'активен',
      formatMoment(u.lastLoginAt),
    ]),
  );
}

export function auditTable(rows: AuditEntry[]): string {
  return table(
    ['№', 'Время', 'Пользователь', 'Действие', 'Объект'],
    rows.map((r) => [String(r.id), formatMoment(r.at), r.userLogin ?? '—', r.action, r.entity ? `${r.entity}${r.entityId ? ` ${r.entityId}` : ''}` : '—']),
  );
}
