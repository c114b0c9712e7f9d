import { ESLint } from 'eslint';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The process boundaries are enforced by the linter; this checks that the rules really fire.
 * Probes are written next to real code (type-aware lint needs them inside the project) and
 * removed afterwards.
 */
const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
const probes: string[] = [];

async function restrictedImports(relativePath: string, source: string): Promise<string[]> {
  const file = join(root, relativePath);
  probes.push(file);
  writeFileSync(file, source);
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

afterAll(() => {
  for (const file of probes) rmSync(file, { force: true });
});

describe('import boundaries', () => {
  it('keep the renderer away from main/, db/ and Node modules', async () => {
    const messages = await restrictedImports(
      'renderer/src/__probe_boundary.ts',
      "import { readFileSync } from 'node:fs';\nimport { createApp } from '../../main/app';\nimport type { Db } from '../../db/connection';\nexport const probe: unknown[] = [readFileSync, createApp, null as unknown as Db];\n",
    );
    expect(messages).toHaveLength(3);
  });

  it('keep common/ free of anything process-specific', async () => {
    const messages = await restrictedImports(
      'common/__probe_boundary.ts',
      "import { createHash } from 'crypto';\nimport { Kysely } from 'kysely';\nexport const probe: unknown[] = [createHash, Kysely];\n",
    );
    expect(messages).toHaveLength(2);
  });

  it('let only main/electron/ import electron and electron-store', async () => {
    const outside = await restrictedImports('main/__probe_boundary.ts', "import { app } from 'electron';\nimport Store from 'electron-store';\nexport const probe: unknown[] = [app, Store];\n");
    expect(outside).toHaveLength(2);
    const inside = await restrictedImports('main/electron/__probe_boundary.ts', "import { app } from 'electron';\nexport const probe: unknown = app;\n");
    expect(inside).toHaveLength(0);
  });
});
