import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodName, Params, Result } from '../../common/api/contract';
import { parseRole } from '../../common/roles';
import { openDatabase } from '../../db/connection';
import { DatabaseError } from '../../db/errors';
import { createApp, type App } from '../app';
import { verifyAudit } from '../audit/log';
import { startHost } from '../host/server';
import { startBackupScheduler } from '../backup/scheduler';
import { defaultDbPath } from '../paths';
import { APP_VERSION } from '../version';
import { CommandError, InterruptedError, UsageError } from './errors';
import { auditTable, usersTable } from './format';
import { HELP } from './help';
import { CODES_COMMANDS, CODES_OPTIONS, runCodesCommand } from './codes-commands';
import { CONTINGENT_COMMANDS, CONTINGENT_OPTIONS, runContingentCommand } from './contingent-commands';
import type { OptionValues } from './args';
import { COMMAND_MODULES } from './modules';
import { BACKUP_MODULE, unattendedBackup } from './backup-commands';
import type { SecretInput } from './secrets';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  secrets: SecretInput;
  /** Folder of the built renderer, for `serve`. */
  rendererDir: string;
  /** Resolves when the process is asked to stop (serve waits on it). */
  untilStopped: () => Promise<void>;
  /** Registers what to do on Ctrl+C while a long command runs. */
  onInterrupt: (handler: () => void) => void;
}

const OPTIONS = {
  db: { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  admin: { type: 'string' },
  name: { type: 'string' },
  school: { type: 'string' },
  role: { type: 'string' },
  seed: { type: 'string' },
  pupils: { type: 'string' },
  year: { type: 'string' },
  port: { type: 'string' },
  from: { type: 'string' },
  // Repeatable: `backup run --to A --to B`; other commands read the last one.
  to: { type: 'string', multiple: true },
  by: { type: 'string' },
  method: { type: 'string' },
  entity: { type: 'string' },
  limit: { type: 'string' },
  ...CONTINGENT_OPTIONS,
  ...CODES_OPTIONS,
} as const;

/** The runner's own options plus those of the command modules (which read them untyped). */
const PARSE_OPTIONS: typeof OPTIONS = Object.assign({}, ...COMMAND_MODULES.map((m) => m.options), OPTIONS) as typeof OPTIONS;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Session {
  app: App;
  sessionId: string | null;
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  follow(jobId: string, onInterrupt: () => void): () => void;
  secret(envName: string, prompt: string): Promise<string>;
}

/** At most one progress line a second (and one per stage), so a long job does not flood the terminal. */
const PROGRESS_LINE_MS = 1000;

function followJob(app: App, io: CliIo, jobId: string, onInterrupt: () => void): () => void {
  let active = true;
  let interrupted = false;
  let lastStage = '';
  // Quick jobs print nothing: the first line comes after a second of work.
  let lastLine = Date.now();
  io.onInterrupt(() => {
    if (!active) return;
    interrupted = true;
    onInterrupt();
  });
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (event !== 'job.progress' || payload.jobId !== jobId) return;
    // A Ctrl+C that came before the job was registered is repeated once the job reports.
    if (interrupted) onInterrupt();
    if (payload.total <= 1) return;
    const now = Date.now();
    if (now - lastLine < PROGRESS_LINE_MS && (payload.stage === lastStage || lastStage === '')) return;
    lastStage = payload.stage;
    lastLine = now;
    io.stderr(`${payload.stage}: ${payload.done} из ${payload.total}`);
  });
  return () => {
    active = false;
    unsubscribe();
  };
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`Параметр --${name} должен быть целым числом, а не «${value}».`);
  return Number(value);
}

function requireValue(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Не указан ${what}.`);
  return value;
}

async function openSession(app: App, io: CliIo, login: string | undefined): Promise<Session> {
  const call = async <M extends MethodName>(method: M, params: Params<M>, sessionId: string | null): Promise<Result<M>> => {
    const response = await app.dispatch({ method, params, sessionId });
    if (!response.ok) throw new CommandError(response.error.message);
    return response.result as Result<M>;
  };
  let sessionId: string | null = null;
  if (login) {
    const password = await io.secrets.get('SCHOOL_OFFICE_PASSWORD', `Пароль пользователя ${login}`);
    sessionId = (await call('auth.login', { login, password }, null)).sessionId;
  }
  return {
    app,
    sessionId,
    call: (method, params) => call(method, params, sessionId),
    follow: (jobId, onInterrupt) => followJob(app, io, jobId, onInterrupt),
    secret: (envName, prompt) => io.secrets.get(envName, prompt),
  };
}

function requireUser(values: Values): string {
  if (!values.user) throw new UsageError('Эта команда выполняется от имени пользователя: укажите --user ЛОГИН.');
  return values.user;
}

async function findUserId(session: Session, login: string): Promise<number> {
  const { users } = await session.call('users.list', {});
  const user = users.find((u) => u.login === login.toLowerCase());
  if (!user) throw new CommandError(`Пользователь «${login}» не найден. Список: school-office user list.`);
  return user.id;
}

function print(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.stdout(json ? JSON.stringify(value, null, 2) : text);
}

/** Runs one command line; returns the exit code. Never throws for expected failures. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${translateParseError(error)}\nСправка: school-office --help`);
    return 2;
  }
  const { values, positionals } = parsed;
  // `--to` may repeat (`backup run --to A --to B`): command modules read the last one as `to`
  // (as before) and all of them as `toList`.
  const optionValues: OptionValues = { ...(values as OptionValues), to: values.to?.at(-1), toList: values.to };
  if (values.version) {
    io.stdout(APP_VERSION);
    return 0;
  }
  if (values.help || positionals.length === 0) {
    io.stdout(HELP);
    return values.help ? 0 : 2;
  }
  const dbPath = resolve(values.db ?? defaultDbPath(io.env));
  const [command, sub, arg] = positionals;
  let app: App | null = null;
  try {
    const moduleGroups = COMMAND_MODULES.flatMap((m) => m.commands.filter((c) => c.includes(' ')).map((c) => c.split(' ')[0]));
    const twoWord = ['user', 'audit', 'pupils', 'movement', 'print', 'codes', ...moduleGroups].includes(command ?? '');
    const key = twoWord ? `${command} ${sub ?? ''}` : (command ?? '');
    const known = ['init', 'user list', 'user add', 'user lock', 'user unlock', 'user reset-password', 'audit list', 'audit verify', 'demo', 'serve', ...CONTINGENT_COMMANDS, ...CODES_COMMANDS, ...COMMAND_MODULES.flatMap((m) => m.commands)];
    // Single-word contingent commands take their argument in the second position.
    const argument = twoWord ? arg : sub;
    if (!known.includes(key)) throw new UsageError(`Неизвестная команда «${positionals.join(' ')}».`);

    if (key === 'audit verify' && !values.user) {
      // Integrity of a file is checked by whoever can read it; no account is needed.
      if (!existsSync(dbPath)) throw new CommandError(`Файл базы данных не найден: ${dbPath}`);
      const opened = openDatabase(dbPath);
      try {
        const result = await verifyAudit(opened.db);
        print(io, !!values.json, result, verifyText(result));
        return result.ok ? 0 : 1;
      } finally {
        await opened.close();
      }
    }

    const standalone = COMMAND_MODULES.find((m) => m.standalone?.includes(key));
    if (standalone?.runStandalone) {
      const secret = (envName: string, prompt: string) => io.secrets.get(envName, prompt);
      const [result, text, code] = await standalone.runStandalone(key, optionValues, argument, { secret, onInterrupt: io.onInterrupt, dbPath });
      print(io, !!values.json, result, text);
      return code ?? 0;
    }

    if (key !== 'init' && key !== 'serve' && !existsSync(dbPath)) {
      throw new CommandError(`Файл базы данных не найден: ${dbPath}. Создайте базу: school-office --db ${dbPath} init --admin ЛОГИН`);
    }
    app = await createApp({ dbPath });
    if (key !== 'init' && key !== 'serve') {
      const status = await app.dispatch({ method: 'app.status', params: {} });
      if (status.ok && !(status.result as { initialized: boolean }).initialized) {
        throw new CommandError(`База не инициализирована: выполните school-office --db ${dbPath} init --admin ЛОГИН`);
      }
    }

    switch (key) {
      case 'init': {
        const login = requireValue(values.admin, 'логин администратора (--admin ЛОГИН)');
        const password = await io.secrets.get('SCHOOL_OFFICE_PASSWORD', `Пароль администратора ${login}`);
        const session = await openSession(app, io, undefined);
        const result = await session.call('auth.setup', {
          login,
          password,
          fullName: values.name ?? 'Администратор',
          schoolName: values.school ?? 'Школа',
        });
        print(io, !!values.json, { ok: true, db: dbPath, admin: result.user.login }, `База создана: ${dbPath}\nАдминистратор: ${result.user.login}`);
        return 0;
      }
      case 'user list': {
        const session = await openSession(app, io, requireUser(values));
        const { users } = await session.call('users.list', {});
        print(io, !!values.json, { users }, usersTable(users));
        return 0;
      }
      case 'user add': {
        const login = requireValue(arg, 'логин нового пользователя (user add ЛОГИН)');
        const role = parseRole(requireValue(values.role, 'роль (--role)'));
        if (!role) throw new UsageError(`Неизвестная роль «${values.role}». Возможные: secretary, admin, archivist, director.`);
        const fullName = requireValue(values.name, 'ФИО (--name "Фамилия Имя Отчество")');
        const session = await openSession(app, io, requireUser(values));
        const password = await io.secrets.get('SCHOOL_OFFICE_NEW_PASSWORD', `Пароль нового пользователя ${login}`);
        const user = await session.call('users.create', { login, fullName, role, password });
        print(io, !!values.json, { user }, `Пользователь добавлен: ${user.login} (${user.fullName})`);
        return 0;
      }
      case 'user lock':
      case 'user unlock':
      case 'user reset-password': {
        const login = requireValue(arg, `логин (user ${sub} ЛОГИН)`);
        const session = await openSession(app, io, requireUser(values));
        const id = await findUserId(session, login);
        if (key === 'user reset-password') {
          const password = await io.secrets.get('SCHOOL_OFFICE_NEW_PASSWORD', `Новый пароль пользователя ${login}`);
          const user = await session.call('users.resetPassword', { id, password });
          print(io, !!values.json, { user }, `Пароль пользователя ${user.login} изменён.`);
        } else {
          const user = await session.call(key === 'user lock' ? 'users.lock' : 'users.unlock', { id });
          print(io, !!values.json, { user }, `Пользователь ${user.login} ${user.locked ? 'заблокирован' : 'разблокирован'}.`);
        }
        return 0;
      }
      case 'audit list': {
        const session = await openSession(app, io, requireUser(values));
        const page = await session.call('audit.list', {
          from: values.from,
          to: values.to?.at(-1),
          userLogin: values.by,
          method: values.method,
          entity: values.entity,
          limit: integer(values.limit, 'limit', 50),
        });
        print(io, !!values.json, page, `${auditTable(page.rows)}\nПоказано ${page.rows.length} из ${page.total}.`);
        return 0;
      }
      case 'audit verify': {
        const session = await openSession(app, io, requireUser(values));
        const result = await session.call('audit.verify', {});
        print(io, !!values.json, result, verifyText(result));
        return result.ok ? 0 : 1;
      }
      case 'backup run': {
        if (values.user) {
          const session = await openSession(app, io, values.user);
          const [result, text, code] = await BACKUP_MODULE.run(key, optionValues, argument, session);
          print(io, !!values.json, result, text);
          return code ?? 0;
        }
        // Without an account: the operating system's scheduled task (see unattendedBackup).
        const [result, text, code] = await unattendedBackup(app, optionValues, { stderr: io.stderr, onInterrupt: io.onInterrupt, quiet: !!values.json });
        print(io, !!values.json, result, text);
        return code;
      }
      case 'demo': {
        const session = await openSession(app, io, requireUser(values));
        const jobId = `cli-demo-${process.pid}`;
        const running = app;
        io.onInterrupt(() => {
          running.jobs.cancel(jobId);
        });
        const unsubscribe = values.json
          ? () => undefined
          : app.events.subscribe((event, payload) => {
              if (event === 'job.progress' && payload.jobId === jobId) {
                io.stderr(`${payload.stage}: ${payload.done} из ${payload.total}`);
              }
            });
        try {
          const result = await session.call('demo.generate', {
            seed: integer(values.seed, 'seed', 1),
            pupils: integer(values.pupils, 'pupils', 600),
            year: values.year ?? '2025/2026',
            jobId,
          });
          const lines = Object.entries(result.counts).map(([k, v]) => `  ${k}: ${v}`);
          print(io, !!values.json, result, `Демонстрационная школа создана за ${result.seconds} с (учебный год ${result.year}):\n${lines.join('\n')}`);
        } finally {
          unsubscribe();
        }
        return 0;
      }
      case 'serve': {
        const host = await startHost({ app, rendererDir: io.rendererDir, port: integer(values.port, 'port', 0) });
        // The browser mode is the same program: it makes due backups by itself too (issue 8).
        const scheduler = startBackupScheduler(app);
        io.stdout(host.url);
        io.stderr(`Программа работает на 127.0.0.1:${host.port} — только для этого компьютера. Остановить: Ctrl+C.\nБаза данных: ${dbPath}`);
        await io.untilStopped();
        scheduler.stop();
        await host.close();
        return 0;
      }
      case 'codes import':
      case 'codes generate':
      case 'codes list':
      case 'codes print': {
        const session = await openSession(app, io, requireUser(values));
        const [result, text] = await runCodesCommand(key, optionValues, session);
        print(io, !!values.json, result, text);
        return 0;
      }
      default: {
        const session = await openSession(app, io, requireUser(values));
        const module = COMMAND_MODULES.find((m) => m.commands.includes(key));
        if (module) {
          const [result, text, code] = await module.run(key, optionValues, argument, session);
          print(io, !!values.json, result, text);
          return code ?? 0;
        }
        const [result, text] = await runContingentCommand(key, optionValues, argument, session);
        print(io, !!values.json, result, text);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\nСправка: school-office --help`);
      return 2;
    }
    if (error instanceof InterruptedError) {
      io.stderr(error.message);
      return 130;
    }
    if (error instanceof CommandError || error instanceof DatabaseError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  } finally {
    await app?.close();
  }
}

function verifyText(result: { ok: boolean; entries: number; firstBroken: { id: number; reason: string } | null }): string {
  if (result.ok) return `Журнал действий цел: ${result.entries} записей, цепочка не нарушена.`;
  return `Журнал действий повреждён: запись № ${result.firstBroken?.id} — ${result.firstBroken?.reason}. Проверено записей до неё: ${result.entries}.`;
}

function translateParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Неизвестный параметр ${unknown[1]}.`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `Параметру ${missing[1]?.split(',')[0] ?? ''} нужно значение.`;
  return 'Неверная командная строка.';
}
