// `npm start`: the desktop app where Electron can run; otherwise the same interface in the
// browser, served on 127.0.0.1 by the CLI's `serve`, with a clear word about why.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  // Read the package's own record of its binary instead of require('electron'): since
  // Electron 42 that call starts a download when the binary is missing, which here fails
  // (or, on a network that drops connections, hangs).
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'пакет electron не установлен' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'исполняемый файл Electron не загружен: npm его не ставит, а сервер загрузки Electron отсюда недоступен или ещё не запрашивался' };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: 'исполняемый файл Electron не найден' };
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
