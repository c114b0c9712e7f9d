import { z } from 'zod';
import { ROLES, type Role } from '../roles';
import {
  auditEntrySchema,
  auditVerifySchema,
  idSchema,
  isoDateSchema,
  loginSchema,
  passwordSchema,
  personNameSchema,
  roleSchema,
  schoolSchema,
  settingsSchema,
  userSchema,
} from './schemas';

/**
 * The one API contract between the renderer (or the CLI) and the main process.
 *
 * Every method names its params and result schemas and its access rule. This file is the
 * single place where the role × method matrix lives:
 * - `public`: no session needed (first run, login);
 * - `self`: any signed-in user acting on their own session;
 * - `read`: the listed roles, plus the director, who reads everything;
 * - `write`: the listed roles only; the director never writes. Writes run in one
 *   transaction and are written to the audit log.
 */
export type Access = 'public' | 'self' | 'read' | 'write';

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

function publicMethod<P extends z.ZodType, R extends z.ZodType>(title: string, params: P, result: R): MethodDef<P, R> {
  return { title, params, result, access: 'public', roles: ALL };
}
function selfMethod<P extends z.ZodType, R extends z.ZodType>(title: string, params: P, result: R): MethodDef<P, R> {
  return { title, params, result, access: 'self', roles: ALL };
}
function readMethod<P extends z.ZodType, R extends z.ZodType>(
  title: string,
  roles: readonly WriterRole[],
  params: P,
  result: R,
): MethodDef<P, R> {
  return { title, params, result, access: 'read', roles: [...roles, 'director'] };
}
function writeMethod<P extends z.ZodType, R extends z.ZodType>(
  title: string,
  roles: readonly WriterRole[],
  params: P,
  result: R,
): MethodDef<P, R> {
  return { title, params, result, access: 'write', roles };
}

const empty = z.object({}).strict();
const okResult = z.object({ ok: z.literal(true) });

const sessionUser = z.object({
  id: idSchema,
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
});
export type SessionUser = z.infer<typeof sessionUser>;

const sessionInfo = z.object({
  sessionId: z.string(),
  user: sessionUser,
  lockAfterMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const auditFilterSchema = z
  .object({
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    userLogin: z.string().trim().max(32).optional(),
    method: z.string().trim().max(64).optional(),
    entity: z.string().trim().max(64).optional(),
    /** Show entries with id below this one (keyset paging: stays fast at any depth). */
    beforeId: idSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditFilter = z.input<typeof auditFilterSchema>;

const demoParams = z
  .object({
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    pupils: z.number().int().min(10, 'не меньше 10').max(3000, 'не больше 3000').default(600),
    year: z.string().regex(/^(\d{4})\/(\d{4})$/, 'учебный год в виде 2025/2026').default('2025/2026'),
    jobId: z.string().max(64).optional(),
  })
  .strict();

export const demoResultSchema = z.object({
  year: z.string(),
  seconds: z.number(),
  counts: z.record(z.string(), z.number().int()),
});
export type DemoResult = z.infer<typeof demoResultSchema>;

export const overviewSchema = z.object({
  school: schoolSchema,
  currentYear: z.object({ id: idSchema, name: z.string(), startsOn: z.string(), endsOn: z.string(), closed: z.boolean() }).nullable(),
  counts: z.object({
    pupils: z.number().int(),
    classes: z.number().int(),
    guardians: z.number().int(),
    staff: z.number().int(),
    lessons: z.number().int(),
    marks: z.number().int(),
    users: z.number().int(),
  }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const contract = {
  'app.status': publicMethod(
    'Состояние программы',
    empty,
    z.object({
      initialized: z.boolean(),
      schoolName: z.string().nullable(),
      appVersion: z.string(),
      schemaVersion: z.number().int(),
    }),
  ),
  'auth.setup': publicMethod(
    'Первый запуск: создание администратора',
    z
      .object({
        schoolName: z.string().trim().min(3, 'не короче 3 символов').max(300),
        login: loginSchema,
        fullName: personNameSchema,
        password: passwordSchema,
      })
      .strict(),
    sessionInfo,
  ),
  'auth.login': publicMethod(
    'Вход',
    z.object({ login: z.string().trim().min(1, 'введите логин').max(64), password: z.string().min(1, 'введите пароль').max(200) }).strict(),
    sessionInfo,
  ),
  'auth.logout': selfMethod('Выход', empty, okResult),
  'auth.me': selfMethod(
    'Текущий пользователь',
    empty,
    z.object({ user: sessionUser, lockAfterMinutes: z.number().int(), screenLocked: z.boolean() }),
  ),
  'auth.unlockScreen': selfMethod('Разблокировка экрана', z.object({ password: z.string().min(1, 'введите пароль').max(200) }).strict(), okResult),
  'auth.changePassword': selfMethod(
    'Смена своего пароля',
    z.object({ currentPassword: z.string().min(1, 'введите текущий пароль').max(200), newPassword: passwordSchema }).strict(),
    okResult,
  ),
  'jobs.cancel': selfMethod('Отмена длительной операции', z.object({ jobId: z.string().min(1).max(64) }).strict(), z.object({ cancelled: z.boolean() })),

  'school.overview': readMethod('Сведения о школе', ['secretary', 'admin', 'archivist'], empty, overviewSchema),
  'settings.get': readMethod('Настройки', ['secretary', 'admin', 'archivist'], empty, settingsSchema),
  'users.list': readMethod('Список пользователей', ['admin'], empty, z.object({ users: z.array(userSchema) })),
  'audit.list': readMethod(
    'Журнал действий',
    ['admin'],
    auditFilterSchema,
    z.object({ rows: z.array(auditEntrySchema), total: z.number().int(), nextBeforeId: z.number().int().nullable() }),
  ),
  'audit.verify': readMethod('Проверка целостности журнала действий', ['admin'], empty, auditVerifySchema),

  'school.update': writeMethod('Изменение сведений о школе', ['admin'], schoolSchema.partial().strict(), schoolSchema),
  'settings.update': writeMethod('Изменение настроек', ['admin'], settingsSchema.partial().strict(), settingsSchema),
  'users.create': writeMethod(
    'Создание пользователя',
    ['admin'],
    z.object({ login: loginSchema, fullName: personNameSchema, role: roleSchema, password: passwordSchema }).strict(),
    userSchema,
  ),
  'users.update': writeMethod(
    'Изменение пользователя',
    ['admin'],
    z.object({ id: idSchema, fullName: personNameSchema.optional(), role: roleSchema.optional() }).strict(),
    userSchema,
  ),
  'users.lock': writeMethod('Блокировка пользователя', ['admin'], z.object({ id: idSchema }).strict(), userSchema),
  'users.unlock': writeMethod('Разблокировка пользователя', ['admin'], z.object({ id: idSchema }).strict(), userSchema),
  'users.resetPassword': writeMethod(
    'Сброс пароля пользователя',
    ['admin'],
    z.object({ id: idSchema, password: passwordSchema }).strict(),
    userSchema,
  ),
  'demo.generate': writeMethod('Заполнение демонстрационной школы', ['admin'], demoParams, demoResultSchema),
} satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Whether a role may call a method at all (session state aside). */
export function roleMayCall(method: MethodName, role: Role): boolean {
  return contract[method].roles.includes(role);
}

/** Events pushed from main to the renderer. */
export const eventSchemas = {
  'job.progress': z.object({ jobId: z.string(), done: z.number(), total: z.number(), stage: z.string() }),
} as const;
export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

/** The transport every client uses: Electron preload, loopback HTTP, or in-process tests. */
export interface ApiTransport {
  invoke<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
