import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionTtl } from '../../fixtures/bundles.ts';
import { fixtureCatalogYaml } from '../../support/api.ts';
import { cli } from './support.ts';

/**
 * `convoy rollout simulate` from files: the real simulator (the real ASL and handlers on a virtual
 * clock) on a scratch table in the run's DynamoDB Local.
 */
const quick = {
  name: 'quick',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT10M' },
    { name: 'prod-canary', environments: ['prod-eu'], bake: 'PT30M' },
  ],
  health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
};

let dir: string;
const files = {
  catalog: '',
  bundle: '',
  strategy: '',
  alarm: '',
  healthy: '',
  badStrategy: '',
  badScenario: '',
  malformed: '',
};
const previousEndpoint = process.env.CONVOY_DYNAMODB_ENDPOINT;

const write = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

beforeAll(async () => {
  process.env.CONVOY_DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  dir = await mkdtemp(join(tmpdir(), 'convoy-simulate-cli-'));
  files.catalog = await write(
    'catalog.yaml',
    `${fixtureCatalogYaml.trimEnd()}\nstrategies:\n  - ${JSON.stringify(quick)}\n`,
  );
  files.bundle = await write('bundle.json', JSON.stringify(sessionTtl));
  files.strategy = await write('quick.json', JSON.stringify(quick));
  files.alarm = await write(
    'alarm.yaml',
    'alarms:\n  - { alarm: dev-5xx-rate, state: OK, from: PT0S }\n  - { alarm: prod-eu-5xx-rate, state: OK, from: PT0S, to: PT15M }\n  - { alarm: prod-eu-5xx-rate, state: ALARM, from: PT15M }\n',
  );
  files.healthy = await write(
    'healthy.yaml',
    'alarms:\n  - { alarm: dev-5xx-rate, state: OK, from: PT0S }\n  - { alarm: prod-eu-5xx-rate, state: OK, from: PT0S }\n',
  );
  files.badStrategy = await write(
    'bad-strategy.yaml',
    'name: bad\nphases: []\nhealth: { alarms: [], interval: soon }\n',
  );
  files.badScenario = await write(
    'bad-scenario.yaml',
    'alarms:\n  - { alarm: x, state: PURPLE, from: later }\n',
  );
  files.malformed = await write('malformed.yaml', 'alarms: [\n');
});

afterAll(async () => {
  if (previousEndpoint === undefined) delete process.env.CONVOY_DYNAMODB_ENDPOINT;
  else process.env.CONVOY_DYNAMODB_ENDPOINT = previousEndpoint;
  await rm(dir, { recursive: true, force: true });
});

const simulate = (...args: string[]) => cli('rollout', 'simulate', '--as', 'olivia', ...args);

describe('convoy rollout simulate', () => {
  it('prints a readable timeline, the outcome and the exposure', async () => {
    const run = await simulate(
      ...[
        '--strategy',
        files.strategy,
        '--bundle',
        files.bundle,
        '--scenario',
        files.alarm,
        '--catalog',
        files.catalog,
      ],
      ...['--start', '2026-12-01T09:00:00Z'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\+00:00:00 /m);
    expect(run.stdout).toMatch(/ALARM prod-eu-5xx-rate → rollback/);
    expect(run.stdout).toMatch(/^outcome: rolled-back/m);
    expect(run.stdout).toMatch(/^exposure:$/m);
    expect(run.stderr).toMatch(/simulated in \d+\.\d s/);
  });

  it('--json prints the report: outcome, timeline and exposure', async () => {
    const run = await simulate(
      ...[
        '--strategy',
        'quick',
        '--bundle',
        files.bundle,
        '--scenario',
        files.healthy,
        '--catalog',
        files.catalog,
      ],
      ...['--start', '2026-12-01T09:00:00Z', '--json'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.outcome).toBe('succeeded');
    expect(run.json.timeline[0]).toEqual(
      expect.objectContaining({
        at: '2026-12-01T09:00:00.000Z',
        event: 'RolloutStarted',
        phase: null,
        environment: null,
      }),
    );
    expect(run.json.exposure).toEqual([
      expect.objectContaining({ environment: 'dev', from: expect.any(String), to: expect.any(String) }),
      expect.objectContaining({ environment: 'prod-eu', from: expect.any(String), to: expect.any(String) }),
    ]);
  });

  it.each<[string, () => string[], RegExp[]]>([
    [
      'an invalid strategy and scenario: every problem',
      () => [
        '--strategy',
        files.badStrategy,
        '--bundle',
        files.bundle,
        '--scenario',
        files.badScenario,
        '--catalog',
        files.catalog,
      ],
      [/phases/, /interval/, /PURPLE|state/],
    ],
    [
      'a malformed scenario',
      () => [
        '--strategy',
        files.strategy,
        '--bundle',
        files.bundle,
        '--scenario',
        files.malformed,
        '--catalog',
        files.catalog,
      ],
      [/is not well-formed YAML/],
    ],
    [
      'a missing scenario file',
      () => [
        '--strategy',
        files.strategy,
        '--bundle',
        files.bundle,
        '--scenario',
        join(dir, 'none.yaml'),
        '--catalog',
        files.catalog,
      ],
      [/Cannot read/],
    ],
    [
      'a bundle that is neither a file nor a reference',
      () => [
        '--strategy',
        files.strategy,
        '--bundle',
        'identity-session',
        '--scenario',
        files.healthy,
        '--catalog',
        files.catalog,
      ],
      [/not a bundle reference/],
    ],
    [
      'a start that is not an instant',
      () => [
        '--strategy',
        files.strategy,
        '--bundle',
        files.bundle,
        '--scenario',
        files.healthy,
        '--catalog',
        files.catalog,
        '--start',
        'tomorrow',
      ],
      [/tomorrow/],
    ],
    [
      'no scenario',
      () => ['--strategy', files.strategy, '--bundle', files.bundle],
      [/required option '--scenario/],
    ],
  ])('refuses %s with exit 2', async (_case, args, messages) => {
    const run = await simulate(...args());
    expect(run.code, run.stdout + run.stderr).toBe(2);
    for (const message of messages) expect(run.stderr).toMatch(message);
  });
});
