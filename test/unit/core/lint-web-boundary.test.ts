import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import tseslint from 'typescript-eslint';
import { boundaries } from '../../../eslint-boundaries.js';

// web/ (the dashboard) runs in the browser: lib/ only for types, the API over HTTP for the rest.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
    },
    ...boundaries,
  ],
});

const violations = async (filePath: string, source: string): Promise<string[]> => {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
};

describe('the dashboard boundary', () => {
  it.each([
    ['web/dashboard/x.ts', "import { routes as x } from '#api/routes.ts';"],
    ['web/dashboard/views/x.tsx', "import { seedDemo as x } from '#local/seed.ts';"],
    ['web/dashboard/x.ts', "import { readFile as x } from 'node:fs/promises';"],
    ['web/dashboard/views/x.tsx', "import { x } from '../../../lib/api/routes.ts';"],
  ])('%s may not %s', async (file, source) => {
    const found = await violations(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/imports only types from lib\//);
  });

  it.each([
    ['web/dashboard/x.ts', "import type { RolloutView as x } from '#api/rollout-view.ts';"],
    ['web/dashboard/views/x.tsx', "import { signal as x } from '@preact/signals';"],
    ['web/dashboard/views/x.tsx', "import { get as x } from '../api.ts';"],
  ])('%s may %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });
});
