/** A database problem the user can act on; the message is Russian and names no personal data. */
export class DatabaseError extends Error {
  readonly kind: 'newer_version' | 'not_a_database' | 'migration_failed' | 'locked';
  constructor(kind: DatabaseError['kind'], message: string) {
    super(message);
    this.name = 'DatabaseError';
    this.kind = kind;
  }
}
