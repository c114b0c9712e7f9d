/**
 * Error log of the program. It records what failed and where — never parameters, values or
 * messages that might carry personal data or secrets: only the error class and the stack frames.
 */
export function logError(where: string, error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  const frames = error instanceof Error && error.stack ? error.stack.split('\n').slice(1, 6).join('\n') : '';
  process.stderr.write(`[Канцелярия] ошибка: ${where}: ${name}${typeof code === 'string' ? ` (${code})` : ''}\n${frames}\n`);
}
