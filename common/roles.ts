/** Roles of the office staff. Identifiers are English; labels are what users see. */
export const ROLES = ['secretary', 'admin', 'archivist', 'director'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  secretary: 'Секретарь',
  admin: 'Администратор',
  archivist: 'Архивариус',
  director: 'Директор',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/** Accepts either the identifier or the Russian label (CLI users type either). */
export function parseRole(text: string): Role | null {
  const t = text.trim().toLowerCase();
  for (const role of ROLES) {
    if (role === t || ROLE_LABELS[role].toLowerCase() === t) return role;
  }
  return null;
}
