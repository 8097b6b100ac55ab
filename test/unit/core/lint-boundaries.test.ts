import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import tseslint from 'typescript-eslint';
import { boundaries } from '../../../eslint-boundaries.js';

// The rooms of DESIGN.md §2 are lint rules; each case lints one import at a path in a room. The
// type-aware parser needs files on disk, so fixtures go through the same rules on the plain parser.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

const violations = async (filePath: string, source: string): Promise<string[]> => {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('layer boundaries', () => {
  it.each([
    ['lib/domain/freeze/x.ts', "import { createHash as x } from 'node:crypto';", /no Node I\/O/],
    ['lib/domain/freeze/x.ts', "import x from 'fs';", /no Node I\/O/],
    ['lib/domain/core/x.ts', "import { DynamoDBClient as x } from '@aws-sdk/client-dynamodb';", /no AWS/],
    ['lib/domain/core/x.ts', "import { Stack as x } from 'aws-cdk-lib';", /no AWS/],
    [
      'lib/domain/rollout/x.ts',
      "import { x } from '../../store/table-client.js';",
      /nothing outside lib\/domain/,
    ],
    ['lib/domain/rollout/x.ts', "import { x } from '#store/table-client.ts';", /nothing outside lib\/domain/],
    [
      'lib/domain/rollout/x.ts',
      "import { x } from '#app/audit/take-checkpoint.ts';",
      /nothing outside lib\/domain/,
    ],
    ['lib/store/x.ts', "import { x } from '../../functions/shared/deps.js';", /handlers are adapters/],
    ['lib/store/x.ts', "import { x } from '#functions/api/health.ts';", /handlers are adapters/],
    ['lib/app/audit/x.ts', "import { x } from '#functions/shared/caller.ts';", /handlers are adapters/],
    ['lib/cli/x.ts', "import { x } from '#store/table.ts';", /only through lib\/api and lib\/app/],
    [
      'lib/cli/actions/x.ts',
      "import { x } from '#integrations/ports.ts';",
      /only through lib\/api and lib\/app/,
    ],
    ['lib/local/x.ts', "import { x } from '#cli/output.ts';", /only through lib\/api and lib\/app/],
    ['lib/flags-provider/x.ts', "import { x } from '#store/table.ts';", /only lib\/domain and lib\/api/],
    ['lib/flags-provider/x.ts', "import { x } from '#app/deps.ts';", /only lib\/domain and lib\/api/],
    ['lib/flags-provider/x.ts', "import { x } from '../store/table.ts';", /only lib\/domain and lib\/api/],
    ['lib/cli/commands/x.ts', "import { x } from '#functions/shared/deps.js';", /handlers are adapters/],
    ['web/deps-graph/x.ts', "import { readFile as x } from 'node:fs/promises';", /no Node modules/],
    ['web/deps-graph/x.ts', "import { x } from '#api/client.ts';", /only lib\/domain/],
    ['web/deps-graph/x.ts', "import { x } from '../../lib/store/table.ts';", /only lib\/domain/],
  ])('%s may not %s', async (file, source, rule) => {
    const found = await violations(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(rule);
  });

  it.each([
    ['lib/domain/freeze/x.ts', "import { x } from '../core/json.js';"],
    ['lib/domain/freeze/x.ts', "import { z as x } from 'zod';"],
    ['lib/domain/freeze/x.ts', "import { x } from '#domain/core/json.ts';"],
    ['lib/cli/x.ts', "import { x } from '#api/client.ts';"],
    ['lib/flags-provider/x.ts', "import { x } from '#domain/flags/evaluate.ts';"],
    ['lib/flags-provider/x.ts', "import { x } from '#api/flags/flag-set.ts';"],
    ['lib/flags-provider/x.ts', "import { x } from './resolution.ts';"],
    ['lib/cli/x.ts', "import { x } from '#local/runtime.ts';"],
    ['lib/local/x.ts', "import { x } from '#store/table.ts';"],
    ['functions/api/x.ts', "import { x } from '#store/table-client.ts';"],
    ['lib/store/x.ts', "import { x } from '../domain/core/json.js';"],
    ['lib/local/x.ts', "import { x } from 'node:fs';"],
    ['functions/api/x.ts', "import { x } from '../../lib/store/table-client.js';"],
    ['web/deps-graph/x.ts', "import { x } from '#domain/dependencies/focus.ts';"],
    ['web/deps-graph/x.ts', "import x from '@dagrejs/dagre';"],
    ['web/deps-graph/x.ts', "import { x } from './layout.ts';"],
  ])('%s may %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });

  it('is part of the project lint config', async () => {
    const project = new ESLint({ cwd: process.cwd() });
    for (const file of [
      'lib/domain/core/json.ts',
      'lib/store/table-client.ts',
      'lib/cli/commands/status.ts',
    ]) {
      const config = (await project.calculateConfigForFile(file)) as { rules: Record<string, unknown> };
      expect(config.rules['no-restricted-imports'], file).toBeDefined();
    }
  });
});
