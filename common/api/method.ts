import type { z } from 'zod';
import { ROLES, type Role } from '../roles';

/**
 * `job`: a long write (printing and sealing archive volumes) that must not hold the write
 * transaction while it works: the dispatcher does not wrap it; the handler writes its changes
 * with `ctx.write` in short transactions of its own. Writer roles only, like `write`.
 */
export type Access = 'public' | 'self' | 'read' | 'write' | 'job';

export interface MethodDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  access: Access;
  roles: readonly Role[];
  /** What the method does, in Russian, for the audit log and refusals. */
  title: string;
}

type WriterRole = Exclude<Role, 'director'>;
const ALL: readonly Role[] = ROLES;

export function publicMethod<P extends z.ZodType, R extends z.ZodType>(title: string, params: P, result: R): MethodDef<P, R> {
  return { title, params, result, access: 'public', roles: ALL };
}
export function selfMethod<P extends z.ZodType, R extends z.ZodType>(title: string, params: P, result: R): MethodDef<P, R> {
  return { title, params, result, access: 'self', roles: ALL };
}
export function readMethod<P extends z.ZodType, R extends z.ZodType>(
  title: string,
  roles: readonly WriterRole[],
  params: P,
  result: R,
): MethodDef<P, R> {
  return { title, params, result, access: 'read', roles: [...roles, 'director'] };
}
export function writeMethod<P extends z.ZodType, R extends z.ZodType>(
  title: string,
  roles: readonly WriterRole[],
  params: P,
  result: R,
): MethodDef<P, R> {
  return { title, params, result, access: 'write', roles };
}

export function jobMethod<P extends z.ZodType, R extends z.ZodType>(
  title: string,
  roles: readonly WriterRole[],
  params: P,
  result: R,
): MethodDef<P, R> {
  return { title, params, result, access: 'job', roles };
}
