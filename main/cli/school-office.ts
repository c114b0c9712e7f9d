import { join } from 'node:path';
import { logError } from '../log';
import { runCli } from './run';
import { SecretInput } from './secrets';

/** The `school-office` command. Built to dist/cli/school-office.cjs. */
async function main(): Promise<void> {
  const interruptHandlers: Array<() => void> = [];
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    for (const handler of interruptHandlers) handler();
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    secrets: new SecretInput(),
    rendererDir: join(__dirname, '..', 'renderer'),
    untilStopped: () => stopped,
    onInterrupt: (handler) => interruptHandlers.push(handler),
  });
  process.exitCode = code;
}

main().catch((error: unknown) => {
  logError('командная строка', error);
  process.stderr.write('Внутренняя ошибка программы. Команда не выполнена.\n');
  process.exitCode = 1;
});
