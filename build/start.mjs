// `npm start`: the desktop app where Electron can run; otherwise the same interface in the
// browser, served on 127.0.0.1 by the CLI's `serve`, with a clear word about why.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when it was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? { path } : { reason: 'исполняемый файл Electron не установлен' };
  } catch (error) {
    return { reason: error?.code === 'MODULE_NOT_FOUND' ? 'пакет electron не установлен' : 'исполняемый файл Electron не скачан (нет доступа к серверу загрузки)' };
  }
}

const electron = electronBinary();
if (electron.path && !process.env.SCHOOL_OFFICE_BROWSER) {
  const child = spawn(electron.path, [join(root, 'dist', 'main', 'electron', 'main.cjs')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    `«Канцелярия»: настольное окно недоступно на этом компьютере (${electron.reason ?? 'выбран режим браузера'}).\n` +
      'Открываю ту же программу в браузере — она работает только на этом компьютере (адрес 127.0.0.1).',
  );
  const cli = join(root, 'dist', 'cli', 'school-office.cjs');
  const args = [cli, 'serve', '--port', process.env.PORT ?? '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  let first = true;
  lines.on('line', (line) => {
    console.log(line);
    if (first && line.startsWith('http://127.0.0.1:')) {
      first = false;
      console.log('Откройте этот адрес в браузере (ссылка содержит ключ запуска — не пересылайте её).');
      openBrowser(line);
    }
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

function openBrowser(url) {
  if (process.env.CI || process.env.SCHOOL_OFFICE_NO_BROWSER) return;
  const command =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const opener = spawn(command[0], command[1], { stdio: 'ignore', detached: true });
    opener.on('error', () => undefined);
    opener.unref();
  } catch {
    // No browser launcher: the printed address is enough.
  }
}
