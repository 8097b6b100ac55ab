import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import type { ApiLambda } from '#local/lambda-runtime.ts';
import { checkoutTimeouts } from '../../fixtures/bundles.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../../support/api.ts';
import { yearEnd } from '../../support/freeze.ts';
import { cli } from './support.ts';

/**
 * `convoy rollout` end to end in this process: the real commander program and API client, over HTTP,
 * to the embedded server running the real rollouts handler on DynamoDB Local. The workflow engine is
 * the recording double (the workflow's own steps are appended to the store where a test needs them).
 */
const health = { alarms: ['{env}-5xx-rate'], interval: 'PT1M' };
const standard = {
  name: 'standard',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT15M', approval: true },
    { name: 'prod', environments: ['prod-eu', 'prod-us'], bake: 'PT30M' },
  ],
  health,
};
const single = { name: 'single', phases: [{ name: 'dev', environments: ['dev'], bake: 'PT5M' }], health };
const prodFirst = {
  name: 'prod-first',
  phases: [{ name: 'prod', environments: ['prod-eu'], bake: 'PT5M' }],
  health,
};

let api: TestApi;
let server: ApiServer;
let dir: string;

const convoy = (as: string, ...args: string[]) => cli(...args, '--api', server.url, '--as', as);
const olivia = (...args: string[]) => convoy('olivia', ...args);

const file = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

type Draft = { type: string; [field: string]: unknown };

/** Append the workflow's own steps, as it would, after the stored last seq. */
const advance = async (rolloutId: string, drafts: Draft[]): Promise<void> => {
  const last = (await api.store.rollouts.events(rolloutId)).at(-1)?.seq ?? 0;
  const at = api.clock.now.toISOString();
  await api.store.rollouts.append(
    rolloutId,
    drafts.map((draft, i) => ({ ...draft, at, seq: last + 1 + i }) as never),
  );
};

const deployDev: Draft[] = [
  { type: 'PhaseStarted', phase: 'dev' },
  {
    type: 'PhaseDeployed',
    phase: 'dev',
    environment: 'dev',
    deploymentId: 'dpl-dev-1',
    previousSnapshot: 'a'.repeat(64),
    snapshot: 'b'.repeat(64),
  },
];

const started = async (strategy = 'standard', id?: string): Promise<string> => {
  const run = await olivia(
    'rollout',
    'start',
    'checkout-timeouts@3',
    '--strategy',
    strategy,
    '--json',
    ...(id ? ['--id', id] : []),
  );
  expect(run.code, run.stderr).toBe(0);
  return run.json.id as string;
};

beforeAll(async () => {
  api = await createTestApi();
  const catalog = await api.call('PUT', '/catalog', {
    raw: `${fixtureCatalogYaml.trimEnd()}\nstrategies:\n${[standard, single, prodFirst].map((s) => `  - ${JSON.stringify(s)}`).join('\n')}\n`,
    headers: { 'content-type': 'application/yaml' },
  });
  if (catalog.status !== 200) throw new Error(catalog.text);
  const pushed = await api.call('POST', '/bundles', { body: checkoutTimeouts });
  if (pushed.status !== 201) throw new Error(pushed.text);
  for (const env of ['dev', 'staging', 'prod-eu', 'prod-us']) {
    const reported = await api.call('PUT', `/environments/${env}/services/checkout-api`, {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    if (reported.status !== 200) throw new Error(reported.text);
  }
  const handlers: Partial<Record<string, ApiLambda>> = { rollouts: api.handlers.rollouts };
  server = await startApiServer({
    port: 0,
    loadHandler: (group) => {
      const handler = handlers[group];
      return handler ? Promise.resolve(handler) : Promise.reject(new Error(`no ${group} handler here`));
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'convoy-rollout-cli-'));
});

afterAll(async () => {
  await server.close();
  await api.table.drop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  api.integrations.reset();
  api.clock.now = new Date('2026-11-23T10:00:00Z');
});

describe('convoy rollout start', () => {
  it('starts a catalog strategy by name: the id, where it stands, the first phase; the workflow starts', async () => {
    const run = await olivia(
      'rollout',
      'start',
      'checkout-timeouts@3',
      '--strategy',
      'standard',
      '--id',
      'ro-named',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        '✓ rollout ro-named of checkout-timeouts@3 with strategy standard: pending',
        '  first phase dev (dev), then 2 more',
        '  follow it: convoy rollout watch ro-named',
        '',
      ].join('\n'),
    );
    expect(api.integrations.started.map((s) => s.name)).toEqual(['ro-named']);
  });

  it('sends a strategy file as the parsed document; --json prints the view with its warnings', async () => {
    const outOfOrder = {
      ...single,
      name: 'backwards',
      phases: [
        { name: 'us', environments: ['prod-us'], bake: 'PT5M' },
        { name: 'd', environments: ['dev'], bake: 'PT5M' },
      ],
    };
    const yaml = await file(
      'backwards.yaml',
      `name: backwards\nphases:\n${outOfOrder.phases.map((p) => `  - ${JSON.stringify(p)}`).join('\n')}\nhealth: ${JSON.stringify(health)}\n`,
    );
    const run = await olivia('rollout', 'start', 'checkout-timeouts@3', '--strategy', yaml, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({
      strategy: 'backwards',
      status: 'pending',
      phases: [{ name: 'us' }, { name: 'd' }],
    });
    expect(run.json.warnings).toEqual([expect.objectContaining({ severity: 'warning' })]);

    const json = await file('backwards.json', JSON.stringify(outOfOrder));
    const human = await olivia('rollout', 'start', 'checkout-timeouts@3', '--strategy', json);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('1 warning(s):');
  });

  it.each<[string, string[], number, RegExp[]]>([
    [
      'an invalid strategy file: every problem',
      ['--strategy', 'INVALID'],
      1,
      [/2 problem/, /unknown-env|not in the catalog/i, /bake/i],
    ],
    ['an unknown strategy name', ['--strategy', 'nope'], 1, [/no strategy nope/]],
    [
      'a missing strategy file',
      ['--strategy', 'strategies/missing.yaml'],
      2,
      [/Cannot read strategies\/missing.yaml/],
    ],
    ['a malformed strategy file', ['--strategy', 'MALFORMED'], 2, [/is not well-formed YAML/]],
    [
      'a bundle that was never pushed',
      ['--strategy', 'standard', '--bundle-ref', 'ghost@1'],
      1,
      [/ghost@1 has not been pushed/],
    ],
    [
      'not a bundle reference',
      ['--strategy', 'standard', '--bundle-ref', 'checkout'],
      2,
      [/checkout is not a bundle reference/],
    ],
    ['no strategy', [], 2, [/required option '--strategy/]],
  ])('refuses %s', async (_case, flags, code, messages) => {
    const invalid = await file(
      'invalid.yaml',
      `name: invalid\nphases:\n  - { name: a, environments: [mars], bake: PT30S }\nhealth: ${JSON.stringify(health)}\n`,
    );
    const malformed = await file('malformed.yaml', 'name: [unclosed\n');
    const args = flags.map((f) => (f === 'INVALID' ? invalid : f === 'MALFORMED' ? malformed : f));
    const at = args.indexOf('--bundle-ref');
    const bundle = at === -1 ? 'checkout-timeouts@3' : (args.splice(at, 2)[1] ?? '');
    const before = await api.table.dump();
    const run = await olivia('rollout', 'start', bundle, ...args);
    expect(run.code).toBe(code);
    for (const message of messages) expect(run.stderr).toMatch(message);
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.started).toEqual([]);
  });

  it('refuses a frozen first phase with exit 1 and the override command', async () => {
    const added = await api.call('POST', '/freezes', { body: { windows: [yearEnd] } });
    expect(added.status, added.text).toBeLessThan(300);
    api.clock.now = new Date('2026-12-21T10:00:00Z');
    try {
      const run = await olivia('rollout', 'start', 'checkout-timeouts@3', '--strategy', 'prod-first');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/prod-eu is frozen/);
      expect(run.stderr).toMatch(/year-end/);
      expect(run.stderr).toMatch(/convoy override request/);
      const json = await olivia(
        'rollout',
        'start',
        'checkout-timeouts@3',
        '--strategy',
        'prod-first',
        '--json',
      );
      expect(json.json.error).toMatchObject({ status: 423, exitCode: 1 });
    } finally {
      await api.call('DELETE', '/freezes/year-end');
    }
  });

  it('only release managers start rollouts', async () => {
    const run = await convoy('priya', 'rollout', 'start', 'checkout-timeouts@3', '--strategy', 'standard');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hint/);
  });
});

describe('convoy rollout status and list', () => {
  let id: string;
  beforeAll(async () => {
    id = await started('standard', 'ro-status');
    await advance(id, [
      ...deployDev,
      {
        type: 'HealthChecked',
        phase: 'dev',
        verdict: 'healthy',
        alarms: [{ name: 'dev-5xx-rate', state: 'OK' }],
        consecutiveUnknown: 0,
        reason: 'all alarms OK',
        action: 'continue',
      },
    ]);
  });

  it('--json prints exactly the API’s view', async () => {
    const run = await olivia('rollout', 'status', id, '--json');
    expect(run.code, run.stderr).toBe(0);
    const api_ = await api.call('GET', `/rollouts/${id}`);
    expect(run.json).toEqual(api_.json);
    expect(run.json).toMatchObject({
      id,
      bundle: 'checkout-timeouts@3',
      strategy: 'standard',
      status: 'running',
    });
    for (const phase of run.json.phases) {
      expect(Object.keys(phase)).toEqual(
        expect.arrayContaining(['name', 'environments', 'status', 'deployedAt', 'bakedUntil']),
      );
    }
    for (const event of run.json.events) {
      expect(Object.keys(event)).toEqual(
        expect.arrayContaining(['at', 'type', 'phase', 'environment', 'detail']),
      );
    }
    expect(run.json.phases[0]).toMatchObject({
      name: 'dev',
      environments: ['dev'],
      status: 'baking',
      deployedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(run.json.events.map((e: { type: string }) => e.type)).toEqual([
      'RolloutStarted',
      'PhaseStarted',
      'PhaseDeployed',
      'HealthChecked',
    ]);
  });

  it('for people: the facts, the phase table, the health and the timeline', async () => {
    const run = await olivia('rollout', 'status', id);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^rollout +ro-status$/m);
    expect(run.stdout).toMatch(/^status +running$/m);
    expect(run.stdout).toMatch(/^PHASE +ENVIRONMENTS +STATUS +DEPLOYED AT +BAKED UNTIL$/m);
    expect(run.stdout).toMatch(/^dev +dev +baking +2026-11-23T10:00:00.000Z +2026-11-23T10:05:00.000Z$/m);
    expect(run.stdout).toMatch(/^staging +staging +pending \(approval gate\) +- +-$/m);
    expect(run.stdout).toContain(
      'health  healthy at 2026-11-23T10:00:00.000Z: all alarms OK (dev-5xx-rate OK)',
    );
    expect(run.stdout).toMatch(/^AT +EVENT +PHASE +ENV +DETAIL$/m);
    expect(run.stdout).toMatch(/PhaseDeployed +dev +dev +deployed dpl-dev-1/);
  });

  it('lists rollouts, newest first, at most --limit', async () => {
    const json = await olivia('rollout', 'list', '--json', '--limit', '2');
    expect(json.code, json.stderr).toBe(0);
    expect(json.json.rollouts).toHaveLength(2);
    expect(json.json.rollouts[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), status: expect.any(String) }),
    );
    const human = await olivia('rollout', 'list');
    expect(human.stdout).toMatch(/^ID +BUNDLE +STRATEGY +STATUS +PHASE +STARTED +BY$/m);
    expect(human.stdout).toMatch(/^ro-status +checkout-timeouts@3 +standard +running +dev /m);
  });

  it.each([['0'], ['101'], ['x']])('refuses --limit %s with exit 2', async (limit) => {
    const run = await olivia('rollout', 'list', '--limit', limit);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/whole number from 1 to 100/);
  });
});

describe('convoy rollout approve|reject|pause|resume|abort|promote', () => {
  beforeAll(async () => {
    await started('single', 'ro-refusals');
  });

  it('pauses, resumes and aborts: audited actions, each printing where the rollout stands', async () => {
    const id = await started('single', 'ro-actions');
    await advance(id, deployDev);
    const pause = await olivia('rollout', 'pause', id, '--reason', 'looking at a graph');
    expect(pause.code, pause.stderr).toBe(0);
    expect(pause.stdout).toBe('✓ rollout ro-actions paused by olivia: now paused\n');
    const resume = await olivia('rollout', 'resume', id, '--json');
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.json).toMatchObject({ id, status: 'running' });
    const promote = await olivia('rollout', 'promote', id);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.stdout).toContain('promoted by olivia');
    const abort = await olivia('rollout', 'abort', id, '--reason', 'wrong bundle');
    expect(abort.code, abort.stderr).toBe(0);
    expect(abort.stdout).toContain('abort requested by olivia');
  });

  it.each<[string, string, string[], number, RegExp]>([
    [
      'approve when nothing waits for approval (409)',
      'olivia',
      ['approve', 'ro-refusals'],
      3,
      /awaiting-approval|approval/,
    ],
    ['reject without --reason', 'olivia', ['reject', 'ro-refusals'], 2, /required option '--reason/],
    ['abort without --reason', 'olivia', ['abort', 'ro-refusals'], 2, /required option '--reason/],
    ['pause as a team member (403)', 'priya', ['pause', 'ro-refusals'], 1, /release/i],
    ['an unknown rollout (404)', 'olivia', ['pause', 'ro-ghost'], 1, /ro-ghost does not exist/],
  ])('refuses %s', async (_case, as, args, code, message) => {
    const run = await convoy(as, 'rollout', ...args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    if (code === 3)
      expect(run.stderr).toContain('hint  See where it stands with `convoy rollout status ro-refusals`');
  });
});

describe('convoy rollout watch', () => {
  it('follows a rollout to success: exit 0, plain lines when not on a terminal', async () => {
    const id = await started('single', 'ro-watch-ok');
    await advance(id, [...deployDev, { type: 'PhaseBaked', phase: 'dev' }, { type: 'Succeeded' }]);
    const run = await olivia('rollout', 'watch', id, '--interval-ms', '10');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^watching rollout ro-watch-ok \(checkout-timeouts@3, strategy single\)$/m);
    expect(run.stdout).toMatch(/Succeeded +- +- +succeeded/);
    expect(run.stdout).toMatch(/✓ dev +dev +\[█+\] +baked/);
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('exits 1 when the rollout does not succeed; --json prints the final view', async () => {
    const id = await started('single', 'ro-watch-aborted');
    await advance(id, [
      ...deployDev,
      { type: 'AbortRequested', by: 'olivia', reason: 'wrong bundle' },
      { type: 'RollbackStarted', reason: 'aborted by olivia: wrong bundle' },
      { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-1' },
      { type: 'RolledBack' },
    ]);
    const run = await olivia('rollout', 'watch', id, '--json');
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ id, status: 'aborted' });
    const human = await olivia('rollout', 'watch', id);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✗ dev/);
  });

  it.each([['0'], ['-5'], ['soon']])('refuses --interval-ms %s with exit 2', async (interval) => {
    const run = await olivia('rollout', 'watch', 'ro-x', '--interval-ms', interval);
    expect(run.code).toBe(2);
  });
});
