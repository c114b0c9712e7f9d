import { randomBytes } from 'node:crypto';
import type { Role } from '../../common/roles';

export interface SessionUser {
  id: number;
  login: string;
  fullName: string;
  role: Role;
}

export interface Session {
  id: string;
  user: SessionUser;
  createdAt: number;
  lastActivity: number;
  screenLocked: boolean;
}

/**
 * Sessions live in memory only: a restart signs everyone out, which is what an office expects.
 * The user snapshot is refreshed by the handlers that change users, so a locked or demoted
 * account loses its rights at once.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(user: SessionUser): Session {
    const id = randomBytes(24).toString('base64url');
    const at = this.now();
    const session: Session = { id, user, createdAt: at, lastActivity: at, screenLocked: false };
    this.sessions.set(id, session);
    return session;
  }

  get(id: string | undefined | null): Session | null {
    if (!id) return null;
    return this.sessions.get(id) ?? null;
  }

  /**
   * Marks activity. When the user was idle for longer than `lockAfterMinutes`, the screen is
   * locked instead, and only unlocking (with the password) or signing out is allowed.
   */
  touch(session: Session, lockAfterMinutes: number): void {
    const at = this.now();
    if (lockAfterMinutes > 0 && at - session.lastActivity > lockAfterMinutes * 60_000) session.screenLocked = true;
    if (!session.screenLocked) session.lastActivity = at;
  }

  unlockScreen(session: Session): void {
    session.screenLocked = false;
    session.lastActivity = this.now();
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Applies a change of a user to their open sessions, or ends them (`null`). */
  updateUser(userId: number, user: SessionUser | null): void {
    for (const [id, session] of this.sessions) {
      if (session.user.id !== userId) continue;
      if (user) session.user = user;
      else this.sessions.delete(id);
    }
  }
}
