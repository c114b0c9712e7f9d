import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Exact module names (a bare pattern like 'electron' would also match a folder main/electron/).
const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'readline', 'worker_threads', 'zlib'];
const SERVER_PACKAGES = ['better-sqlite3', 'kysely', 'puppeteer-core', 'electron', 'electron-store'];
const isModuleName = (entry) => !entry.includes('/') && !entry.includes('*');

/** Import boundaries between the processes: the renderer and common/ stay free of Node and of main. */
const restrict = (entries, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: entries.filter(isModuleName).map((name) => ({ name, message })),
      patterns: [{ group: entries.filter((e) => !isModuleName(e)), message }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'build/*.mjs', 'build/*.cjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['build/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        ['**/main/**', '**/db/**', '**/preload/**', 'node:*', 'fs/*', ...NODE_BUILTINS, ...SERVER_PACKAGES],
        'Интерфейс (renderer) обращается к данным только через API-контракт из common/: без main/, db/, preload/ и модулей Node.',
      ),
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: restrict(
      ['**/main/**', '**/db/**', '**/renderer/**', '**/preload/**', 'node:*', 'fs/*', ...NODE_BUILTINS, ...SERVER_PACKAGES, 'react', 'react-dom'],
      'common/ — общий код всех процессов: только чистые типы и функции, без зависимостей от процесса.',
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: restrict(['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'electron-store'], 'db/ не зависит от main/, renderer/ и Electron.'),
  },
  {
    files: ['main/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'templates/**/*.{ts,tsx}'],
    ignores: ['main/electron/**'],
    rules: restrict(['electron', 'electron-store', '**/renderer/**'], 'Только main/electron/ импортирует electron и electron-store; логика остаётся в модулях Node.'),
  },
  {
    files: ['preload/**/*.ts'],
    rules: restrict(['**/main/**', '**/db/**', ...SERVER_PACKAGES.filter((p) => p !== 'electron')], 'Preload раскрывает только invoke и subscribe.'),
  },
);
