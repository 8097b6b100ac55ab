import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppConfigFlags } from '#api/formats/appconfig-flags.ts';
import { toFlagdFlags } from '#api/formats/flagd-flags.ts';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { fixtureFlagSet } from '../../unit/api/flags/fixtures.ts';

/**
 * `convoy flag ...` as a user runs it: the real `node bin/convoy-cli.ts`, against a tiny HTTP server
 * answering `GET /environments/prod/flags` with the shared fixture flag set (test/fixtures/flags).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const set = fixtureFlagSet();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let api: Server;
let apiUrl: string;
let dir: string;

const convoy = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/convoy-cli.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CONVOY_API_URL: apiUrl },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-flag-cli-'));
  api = createServer((request, response) => {
    const found = request.method === 'GET' && request.url === '/environments/prod/flags';
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(found ? set : { code: 'not-found', detail: 'no such environment' }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    api.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

const golden = (name: string): Promise<string> =>
  readFile(join(root, 'test/fixtures/flags/cli', name), 'utf8');

describe('convoy flag list and show', () => {
  it('lists every flag of the environment (the golden table)', async () => {
    const run = await convoy('flag', 'list', '--env', 'prod');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await golden('list.txt'));
  });

  it('lists as JSON: the flag set', async () => {
    const run = await convoy('flag', 'list', '--env', 'prod', '--json');
    expect(JSON.parse(run.stdout)).toEqual(set);
  });

  it('shows one definition readably, and as JSON', async () => {
    const run = await convoy('flag', 'show', 'checkout.targeted', '--env', 'prod');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('      in segment beta-testers (beta IN [true])\n');
    expect((await golden('show.txt')).includes(run.stdout.trimEnd())).toBe(true);
    const json = await convoy('flag', 'show', 'checkout.targeted', '--env', 'prod', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      key: 'checkout.targeted',
      version: 7,
      flag: set.flags['checkout.targeted'],
    });
  });

  it('refuses an unknown flag (1) and an unknown environment (1)', async () => {
    const flag = await convoy('flag', 'show', 'checkout.nope', '--env', 'prod');
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('Flag checkout.nope is not defined in prod.');
    const env = await convoy('flag', 'list', '--env', 'staging');
    expect(env.code).toBe(1);
  });
});

describe('convoy flag evaluate', () => {
  it('serves a targeted value with the rule (0)', async () => {
    const run = await convoy(
      'flag',
      'evaluate',
      'checkout.targeted',
      '--env',
      'prod',
      '--context',
      'email=ada@convoy.dev',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'flag     checkout.targeted\nvalue    true\nvariant  on\nreason   TARGETING_MATCH\nrule     #0\n',
    );
  });

  it('reads a typed context file, --context on top', async () => {
    const file = join(dir, 'context.json');
    await writeFile(file, JSON.stringify({ targetingKey: 'user-1', beta: true, country: 'FR' }));
    const run = await convoy(
      'flag',
      'evaluate',
      'checkout.targeted',
      '--env',
      'prod',
      '--context-file',
      file,
      '--context',
      'country=DE',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      key: 'checkout.targeted',
      environment: 'prod',
      version: 7,
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleIndex: 1,
    });
  });

  it('splits by the targeting key', async () => {
    const run = await convoy(
      'flag',
      'evaluate',
      'checkout.split',
      '--env',
      'prod',
      '--context',
      'targetingKey=user-1',
      '--json',
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ variant: 'treatment-a', reason: 'SPLIT', ruleIndex: 0 });
  });

  it('exits 1 on ERROR, with the error code: FLAG_NOT_FOUND, TARGETING_KEY_MISSING', async () => {
    const missing = await convoy('flag', 'evaluate', 'checkout.nope', '--env', 'prod');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/error +FLAG_NOT_FOUND\n/);
    const noKey = await convoy('flag', 'evaluate', 'checkout.split', '--env', 'prod', '--json');
    expect(noKey.code).toBe(1);
    expect(JSON.parse(noKey.stdout)).toMatchObject({
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
      ruleIndex: 0,
    });
  });

  it('exits 2 on a malformed --context or context file', async () => {
    expect(
      (await convoy('flag', 'evaluate', 'checkout.static', '--env', 'prod', '--context', 'plan')).code,
    ).toBe(2);
    const file = join(dir, 'list.json');
    await writeFile(file, '[1]');
    expect(
      (await convoy('flag', 'evaluate', 'checkout.static', '--env', 'prod', '--context-file', file)).code,
    ).toBe(2);
    expect(
      (
        await convoy(
          'flag',
          'evaluate',
          'checkout.static',
          '--env',
          'prod',
          '--context-file',
          join(dir, 'none.json'),
        )
      ).code,
    ).toBe(2);
  });
});

describe('convoy flag export', () => {
  it.each([
    ['openfeature', toFlagdFlags],
    ['appconfig', toAppConfigFlags],
  ] as const)(
    '--format %s: the formatter’s document on stdout, unmappable flags on stderr',
    async (format, render) => {
      const expected = render(set);
      const run = await convoy('flag', 'export', '--env', 'prod', '--format', format);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(expected.document);
      expect(expected.problems.length).toBeGreaterThan(0);
      for (const p of expected.problems) expect(run.stderr).toContain(`flag-export.unmappable  ${p.flag}  `);
    },
  );

  it('--out writes the file and says how many flags', async () => {
    const out = join(dir, 'flags.json');
    const run = await convoy('flag', 'export', '--env', 'prod', '--format', 'openfeature', '--out', out);
    expect(run.code).toBe(0);
    const { document, problems } = toFlagdFlags(set);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(document);
    expect(run.stdout).toBe(
      `✓ ${Object.keys(set.flags).length - problems.length} flag(s) written to ${out}\n`,
    );
  });

  it('refuses a format it does not know (2)', async () => {
    expect((await convoy('flag', 'export', '--env', 'prod', '--format', 'launchdarkly')).code).toBe(2);
  });
});

describe('convoy flag import --from unleash', () => {
  const payload = join(root, 'test/fixtures/flags/cli/unleash-features.json');

  it('writes a bundle of set changes, then the segments for the catalog, and prints the warnings', async () => {
    const run = await convoy('flag', 'import', '--from', 'unleash', payload, '--namespace', 'growth');
    expect(run.code).toBe(0);
    const [bundleDoc, segmentsDoc] = parseAllDocuments(run.stdout).map((d) => d.toJS() as unknown);
    const expected = JSON.parse(await golden('unleash-import.json')) as {
      bundle: unknown;
      segments: unknown;
      problems: { code: string }[];
    };
    expect(bundleDoc).toEqual(expected.bundle);
    expect(bundleSchema.safeParse(bundleDoc).success).toBe(true);
    expect(segmentsDoc).toEqual({ segments: expected.segments });
    expect(run.stdout).toContain('# Segments the flags reference: add them to the catalog');
    for (const p of expected.problems) expect(run.stderr).toContain(p.code);
  });

  it('--out writes the file; --json prints the import', async () => {
    const out = join(dir, 'bundle.yaml');
    const run = await convoy(
      'flag',
      'import',
      '--from',
      'unleash',
      payload,
      '--namespace',
      'growth',
      '--out',
      out,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ 5 flag\(s\) and \d+ segment\(s\) written to /);
    expect(parseAllDocuments(await readFile(out, 'utf8'))).toHaveLength(2);
    const json = await convoy(
      'flag',
      'import',
      '--from',
      'unleash',
      payload,
      '--namespace',
      'growth',
      '--json',
    );
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await golden('unleash-import.json')));
  });

  it('prints the import warnings on stderr, the key problems included', async () => {
    const file = join(dir, 'warnings.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        features: [
          { name: 'a', enabled: true, strategies: [{ name: 'myCustom' }] },
          { name: 'b', enabled: true, strategies: [{ name: 'default' }], dependencies: [{ feature: 'a' }] },
        ],
      }),
    );
    const run = await convoy('flag', 'import', '--from', 'unleash', file);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning unleash.strategy  a  custom strategy myCustom cannot be imported');
    expect(run.stderr).toContain('warning flag-import.key  b  b is not a catalog key');
    expect(run.stdout).toContain('- set: b\n');
  });

  it('refuses what is not an Unleash payload (2), and --from other sources (2)', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ features: 'nope' }));
    const run = await convoy('flag', 'import', '--from', 'unleash', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not an Unleash client features payload');
    expect((await convoy('flag', 'import', '--from', 'launchdarkly', payload)).code).toBe(2);
  });
});
