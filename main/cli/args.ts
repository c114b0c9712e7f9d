import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MethodName, Params, Result } from '../../common/api/contract';
import { parseClassLabel } from '../../common/domain/russian';
import { writeDurably } from '../../db/durable-file';
import { CommandError, UsageError } from './errors';

/** What command modules need from the CLI runner: calls through the one dispatcher. */
export interface CommandSession {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /**
   * Follows a long call by its job id: prints its progress to stderr and runs `onInterrupt` on
   * Ctrl+C. Returns the function that stops following.
   */
  follow?(jobId: string, onInterrupt: () => void): () => void;
  /** Reads a secret (a passphrase) from its environment variable or standard input; never echoed. */
  secret?(envName: string, prompt: string): Promise<string>;
}

/** What a command that needs no register (`backup verify`, `restore`) gets from the runner. */
export interface StandaloneIo {
  secret(envName: string, prompt: string): Promise<string>;
  /** Registers what to do on Ctrl+C. */
  onInterrupt(handler: () => void): void;
  /** The `--db` path (for `restore`, the NEW database file). */
  dbPath: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A group of commands: the command keys it answers («consents report»), its options, its runner. */
export interface CommandModule {
  commands: readonly string[];
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** Returns the JSON value and the text for people, and the exit code when it is not 0 (a check that found problems). */
  run(key: string, values: OptionValues, argument: string | undefined, session: CommandSession): Promise<[unknown, string] | [unknown, string, number]>;
  /** Commands that run without opening the register or logging in (a backup file is checked with its passphrase). */
  standalone?: readonly string[];
  runStandalone?(key: string, values: OptionValues, argument: string | undefined, io: StandaloneIo): Promise<[unknown, string] | [unknown, string, number]>;
}

export const optionText = (v: OptionValues, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

export function requireOption(v: OptionValues, name: string): string {
  const value = optionText(v, name);
  if (!value) throw new UsageError(`Не указан параметр --${name}.`);
  return value;
}

export function parseId(text: string | undefined, what: string): number {
  if (!text || !/^\d+$/.test(text)) throw new UsageError(`${what}: ожидается номер (целое число), а не «${text ?? ''}».`);
  return Number(text);
}

/** Finds a class of the year on a day (default today) by its label «5А». */
export async function classIdByLabel(session: CommandSession, label: string, date?: string): Promise<number> {
  const parsed = parseClassLabel(label);
  if (!parsed) throw new UsageError(`Класс «${label}» записан непонятно: ожидается, например, 5А.`);
  const { date: day, classes } = await session.call('classes.list', date ? { date } : {});
  const found = classes.find((c) => c.parallel === parsed.parallel && c.letter === parsed.letter);
  if (!found) {
    throw new CommandError(`Класс «${label}» не найден в учебном году на ${day.split('-').reverse().join('.')}. Классы: ${classes.map((c) => c.label).join(', ') || 'нет'}.`);
  }
  return found.id;
}

/** Writes a printed PDF durably (temp + fsync + rename) and returns its absolute path. */
export async function writePdf(out: string, pdfBase64: string): Promise<string> {
  const path = resolve(out);
  const bytes = Buffer.from(pdfBase64, 'base64');
  await writeDurably(path, async (tmp) => writeFileSync(tmp, bytes));
  return path;
}
