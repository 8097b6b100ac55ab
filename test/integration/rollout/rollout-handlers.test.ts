import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { make as makeDecide } from '#functions/workflow/rollout-decide.ts';
import { appendDrafts, continuationName, loadRollout } from '#app/rollouts/rollout-stream.ts';
import { make as makeDeployPhase } from '#functions/workflow/rollout-deploy-phase.ts';
import { make as makeRollBack } from '#functions/workflow/rollout-roll-back.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import { checkoutTimeouts } from '../../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { createTestTable, type TestTable } from '../../support/dynamo.ts';
import { createRollout } from '../../fixtures/rollouts.ts';

/** The rollout task handlers called directly (as the workflow would), for the paths the ASL tests skip. */
const context = { functionName: 'convoy-rollout', awsRequestId: 'test' } as Context;
let api: TestApi;
// The workflow tasks, made from this file's test API (its deps may be pointed at another table).
const decideHandler = (payload: unknown, ctx: Context) => makeDecide(api.deps)(payload, ctx);
const deployPhase = (payload: unknown, ctx: Context) => makeDeployPhase(api.deps)(payload, ctx);
const rollBack = (payload: unknown, ctx: Context) => makeRollBack(api.deps)(payload, ctx);

const strategy = strategySchema.parse({
  name: 'pair',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT5M' },
  ],
  health: { alarms: ['{env}-5xx'], interval: 'PT30S' },
});

const create = (rolloutId: string, using = strategy) =>
  createRollout(api.store.rollouts, {
    type: 'RolloutStarted',
    seq: 0,
    at: api.clock.now.toISOString(),
    rolloutId,
    bundle: { name: checkoutTimeouts.name, version: checkoutTimeouts.version, hash: 'h' },
    strategy: using,
    environmentsBefore: {},
    by: 'olivia',
  });

/** Another team change, shipped to an environment by hand while a rollout runs. */
const legacyMode = {
  name: 'checkout-legacy',
  version: '1',
  release: '2026.12-R2',
  team: 'payments',
  changes: [{ set: 'payments.checkout.legacyMode', value: true }],
};
let catalogless = false;

const initial: Record<string, string> = {};
/** Put dev and staging back on the snapshot they had before any test deployed. */
const reset = async (): Promise<void> => {
  if (catalogless) return;
  for (const env of ['dev', 'staging']) {
    if ((await api.store.environments.getHead(env))?.snapshot === initial[env]) continue;
    const back = await api.call('POST', `/environments/${env}/rollback`, { as: 'olivia', body: {} });
    if (back.status >= 300) throw new Error(back.text);
  }
};

const stateOf = async (id: string) => reduceRollout(await api.store.rollouts.events(id));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

beforeAll(async () => {
  api = await createTestApi();
  await api.seedCatalog();
  for (const bundle of [checkoutTimeouts, legacyMode]) {
    const pushed = await api.call('POST', '/bundles', { as: 'olivia', body: bundle });
    if (pushed.status !== 201) throw new Error(pushed.text);
  }
  for (const env of ['dev', 'staging', 'prod-eu']) {
    const report = await api.call('PUT', `/environments/${env}/services/checkout-api`, {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    if (report.status !== 200) throw new Error(report.text);
    initial[env] = (await api.store.environments.getHead(env))?.snapshot ?? '';
  }
});
beforeEach(reset);
afterAll(async () => {
  await api.table.drop();
});

describe('rollout-deploy-phase', () => {
  it('is idempotent on a retry, and reports the phase the loop needs', async () => {
    await create('ro-deploy');
    const first = await deployPhase({ rolloutId: 'ro-deploy', phaseIndex: 0 }, context);
    expect(first).toEqual({
      index: 0,
      name: 'dev',
      alarmNames: ['dev-5xx'],
      intervalSeconds: 30,
      approvalTimeoutSeconds: 86_400,
      last: false,
      decideNow: false,
    });
    await expect(deployPhase({ rolloutId: 'ro-deploy', phaseIndex: 0 }, context)).resolves.toEqual(first);
    const state = await stateOf('ro-deploy');
    expect(state.anomalies).toEqual([]);
    expect(state.phases[0]?.deployments).toHaveLength(1);
  });

  it('counts an environment that already runs the bundle as deployed, with nothing to undo', async () => {
    const manual = await api.call('POST', '/environments/dev/deployments', {
      as: 'olivia',
      body: { bundle: `${checkoutTimeouts.name}@${checkoutTimeouts.version}` },
    });
    expect(manual.status).toBe(201);
    const head = await api.store.environments.getHead('dev');
    await create('ro-already');
    await deployPhase({ rolloutId: 'ro-already', phaseIndex: 0 }, context);
    const [deployment] = (await stateOf('ro-already')).phases[0]?.deployments ?? [];
    expect(deployment).toMatchObject({
      deploymentId: head?.deploymentId,
      previousSnapshot: head?.snapshot,
      snapshot: head?.snapshot,
    });
    expect((await api.store.environments.getHead('dev'))?.version).toBe(head?.version);
  });

  it('fails with Convoy.NotFound for a phase the strategy does not have', async () => {
    await create('ro-nophase');
    const error = await failure(deployPhase({ rolloutId: 'ro-nophase', phaseIndex: 7 }, context));
    expect(error?.name).toBe('Convoy.NotFound');
  });
});

describe('rollout-decide', () => {
  it('refuses a check of a phase that is not the current one (Convoy.Conflict)', async () => {
    await create('ro-stale');
    const health = {
      available: true,
      described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'OK' }] },
    };
    const error = await failure(
      decideHandler(
        { action: 'decide', rolloutId: 'ro-stale', phaseIndex: 0, health, check: 'e:1' },
        context,
      ),
    );
    expect(error?.name).toBe('Convoy.Conflict');
  });

  it('counts a check without alarms as unknown, and records success once', async () => {
    await create('ro-decide');
    await deployPhase({ rolloutId: 'ro-decide', phaseIndex: 0 }, context);
    const decision = await decideHandler(
      { action: 'decide', rolloutId: 'ro-decide', phaseIndex: 0, health: { available: true }, check: 'e:1' },
      context,
    );
    expect(decision).toMatchObject({
      action: 'continue',
      reason: expect.stringMatching(/alarm not found: dev-5xx \(1 of 3/),
    });
    // A retried check answers from its recorded event and appends nothing.
    const stored = (await api.store.rollouts.events('ro-decide')).length;
    await expect(
      decideHandler(
        {
          action: 'decide',
          rolloutId: 'ro-decide',
          phaseIndex: 0,
          health: { available: false },
          check: 'e:1',
        },
        context,
      ),
    ).resolves.toEqual(decision);
    expect(await api.store.rollouts.events('ro-decide')).toHaveLength(stored);
    const ok = { available: true, described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'OK' }] } };
    api.clock.now = new Date(api.clock.now.getTime() + 10 * 60_000);
    await expect(
      decideHandler(
        { action: 'decide', rolloutId: 'ro-decide', phaseIndex: 0, health: ok, check: 'e:2' },
        context,
      ),
    ).resolves.toMatchObject({ action: 'advance' });
    await deployPhase({ rolloutId: 'ro-decide', phaseIndex: 1 }, context);
    api.clock.now = new Date(api.clock.now.getTime() + 10 * 60_000);
    // Phase 2 watches every environment deployed so far: dev's alarm and staging's.
    const okStaging = {
      available: true,
      described: {
        MetricAlarms: [
          { AlarmName: 'dev-5xx', StateValue: 'OK' },
          { AlarmName: 'staging-5xx', StateValue: 'OK' },
        ],
      },
    };
    await decideHandler(
      { action: 'decide', rolloutId: 'ro-decide', phaseIndex: 1, health: okStaging, check: 'e:3' },
      context,
    );
    await decideHandler({ action: 'succeed', rolloutId: 'ro-decide' }, context);
    await decideHandler({ action: 'succeed', rolloutId: 'ro-decide' }, context);
    const state = await stateOf('ro-decide');
    expect(state.status).toBe('succeeded');
    expect(state.anomalies).toEqual([]);
  });

  it('lets the loop skip the checks that would change nothing while the reading stays the same', async () => {
    await create('ro-watch');
    await deployPhase({ rolloutId: 'ro-watch', phaseIndex: 0 }, context);
    const ok = { available: true, described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'OK' }] } };
    const decide = (check: string, health: object = ok) =>
      decideHandler(
        { action: 'decide', rolloutId: 'ro-watch', phaseIndex: 0, health, check, execution: 'ro-watch' },
        context,
      );
    // The first reading is recorded; the 5-minute bake with 30-second checks ends 10 checks later: the
    // 9 before it change nothing, and one of them is kept in hand for the drift of real waits.
    await expect(decide('ro-watch:1')).resolves.toEqual({
      action: 'continue',
      reason: expect.stringMatching(/baking/),
      watch: { fingerprint: '["OK"]', remaining: 8 },
      successor: '',
    });
    // Monitoring unavailable counts every check: nothing is skipped.
    await expect(decide('ro-watch:2', { available: false })).resolves.toMatchObject({
      watch: { remaining: 0 },
    });
  });

  it('decides nothing for an execution the rollout was handed over from', async () => {
    await create('ro-kicked');
    await deployPhase({ rolloutId: 'ro-kicked', phaseIndex: 0 }, context);
    const { state } = await loadRollout(api.deps, 'ro-kicked');
    await appendDrafts(
      api.deps,
      state,
      [{ type: 'ContinuedAsNew', executionName: 'ro-kicked--2' }],
      '2026-11-23T10:00:00.000Z',
    );
    const stored = await api.store.rollouts.events('ro-kicked');
    const ok = {
      available: true,
      described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'ALARM' }] },
    };
    await expect(
      decideHandler(
        {
          action: 'decide',
          rolloutId: 'ro-kicked',
          phaseIndex: 0,
          health: ok,
          check: 'ro-kicked:5',
          execution: 'ro-kicked',
        },
        context,
      ),
    ).resolves.toMatchObject({ action: 'superseded', successor: 'ro-kicked--2' });
    expect(await api.store.rollouts.events('ro-kicked')).toEqual(stored);
    // The execution it went on in decides as usual (and this reading rolls back).
    await expect(
      decideHandler(
        {
          action: 'decide',
          rolloutId: 'ro-kicked',
          phaseIndex: 0,
          health: ok,
          check: 'ro-kicked--2:1',
          execution: 'ro-kicked--2',
        },
        context,
      ),
    ).resolves.toMatchObject({ action: 'rollback', successor: '' });
  });

  it('stores the task token of a pause', async () => {
    await create('ro-token');
    await decideHandler(
      { action: 'await', rolloutId: 'ro-token', taskToken: 'tok-1', gate: 'resume' },
      context,
    );
    expect((await api.store.rollouts.get('ro-token'))?.taskToken).toBe('tok-1');
    const error = await failure(
      decideHandler({ action: 'await', rolloutId: 'ro-none', taskToken: 't', gate: 'resume' }, context),
    );
    expect(error?.name).toBe('Convoy.NotFound');
  });

  it('answers its own wait when the operator decided before the token was stored', async () => {
    await create('ro-early');
    api.integrations.reset();
    const at = api.clock.now.toISOString();
    // Nothing decided yet: the wait waits.
    await decideHandler(
      { action: 'await', rolloutId: 'ro-early', taskToken: 'tok-0', gate: 'approval' },
      context,
    );
    expect(api.integrations.resumed).toEqual([]);
    // Running again (the approval came first): approve.
    await api.store.rollouts.append('ro-early', [{ type: 'PhaseStarted', phase: 'dev', at, seq: 1 }]);
    await decideHandler(
      { action: 'await', rolloutId: 'ro-early', taskToken: 'tok-a', gate: 'approval' },
      context,
    );
    expect(api.integrations.resumed).toEqual([{ token: 'tok-a', output: { action: 'approve' } }]);
    await api.store.rollouts.append('ro-early', [{ type: 'Paused', by: 'olivia', reason: 'x', at, seq: 2 }]);
    await decideHandler(
      { action: 'await', rolloutId: 'ro-early', taskToken: 'tok-b', gate: 'resume' },
      context,
    );
    expect(api.integrations.resumed).toHaveLength(1);
    await api.store.rollouts.append('ro-early', [
      { type: 'AbortRequested', by: 'olivia', reason: 'x', at, seq: 3 },
    ]);
    await decideHandler(
      { action: 'await', rolloutId: 'ro-early', taskToken: 'tok-c', gate: 'resume' },
      context,
    );
    expect(api.integrations.resumed.at(-1)).toEqual({ token: 'tok-c', output: { action: 'abort' } });
  });

  it('records an approval timeout once, and names continuations idempotently', async () => {
    await create(
      'ro-gate',
      strategySchema.parse({ ...strategy, phases: [{ ...strategy.phases[0], approval: true }] }),
    );
    await deployPhase({ rolloutId: 'ro-gate', phaseIndex: 0 }, context);
    api.clock.now = new Date(api.clock.now.getTime() + 10 * 60_000);
    const ok = { available: true, described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'OK' }] } };
    await expect(
      decideHandler(
        { action: 'decide', rolloutId: 'ro-gate', phaseIndex: 0, health: ok, check: 'g:1' },
        context,
      ),
    ).resolves.toMatchObject({ action: 'approval' });
    for (let i = 0; i < 2; i += 1)
      await expect(
        decideHandler({ action: 'approval-timeout', rolloutId: 'ro-gate' }, context),
      ).resolves.toEqual({
        action: 'rollback',
      });
    const state = await stateOf('ro-gate');
    expect(state.status).toBe('rolling-back');
    expect(state.anomalies).toEqual([]);
    for (let i = 0; i < 2; i += 1)
      await expect(
        decideHandler({ action: 'continue-as-new', rolloutId: 'ro-gate', execution: 'ro-gate--4' }, context),
      ).resolves.toEqual({ action: 'continue-as-new', executionName: 'ro-gate--5' });
    const continued = (await api.store.rollouts.events('ro-gate')).filter((e) => e.type === 'ContinuedAsNew');
    expect(continued).toHaveLength(1);
    expect(continuationName('ro-gate')).toBe('ro-gate--2');
    expect(continuationName('x'.repeat(80))).toBe(`${'x'.repeat(70)}--2`);
  });

  it('rejects a payload the definition would never send (Convoy.BadRequest)', async () => {
    const error = await failure(decideHandler({ action: 'decide', rolloutId: 'x' }, context));
    expect(error?.name).toBe('Convoy.BadRequest');
  });
});

describe('rollout-roll-back', () => {
  it('restores, is idempotent, and counts an environment already back on its snapshot as restored', async () => {
    await create('ro-back');
    await deployPhase({ rolloutId: 'ro-back', phaseIndex: 0 }, context);
    api.clock.now = new Date(api.clock.now.getTime() + 10 * 60_000);
    const ok = { available: true, described: { MetricAlarms: [{ AlarmName: 'dev-5xx', StateValue: 'OK' }] } };
    await decideHandler(
      { action: 'decide', rolloutId: 'ro-back', phaseIndex: 0, health: ok, check: 'e:1' },
      context,
    );
    await deployPhase({ rolloutId: 'ro-back', phaseIndex: 1 }, context);
    const before = await stateOf('ro-back');
    const stagingRestore = before.rollbackPlan.find((s) => s.environment === 'staging')?.restoreSnapshot;
    // An operator already put staging back by hand: the workflow counts it as restored.
    const manual = await api.call('POST', '/environments/staging/rollback', { as: 'olivia', body: {} });
    expect(manual.status).toBeLessThan(300);
    expect((await api.store.environments.getHead('staging'))?.snapshot).toBe(stagingRestore);

    await expect(
      rollBack({ rolloutId: 'ro-back', reason: { value: 'operator abort' } }, context),
    ).resolves.toEqual({
      status: 'rolled-back',
    });
    await expect(rollBack({ rolloutId: 'ro-back', reason: { value: 'again' } }, context)).resolves.toEqual({
      status: 'rolled-back',
    });
    const state = await stateOf('ro-back');
    expect(state.anomalies).toEqual([]);
    expect(state.rollbackPlan).toEqual([]);
    expect((await api.store.environments.getHead('dev'))?.snapshot).toBe(
      before.rollbackPlan.find((s) => s.environment === 'dev')?.restoreSnapshot,
    );
    expect((await api.store.environments.getHead('staging'))?.snapshot).toBe(stagingRestore);
  });

  it('refuses to guess when an environment first deployed by the rollout moved on since (Convoy.Conflict)', async () => {
    // prod-eu's first deployment ever is the rollout's: before it, the initial (empty) state.
    const euOnly = strategySchema.parse({
      ...strategy,
      phases: [{ name: 'eu', environments: ['prod-eu'], bake: 'PT5M' }],
    });
    await create('ro-moved', euOnly);
    await deployPhase({ rolloutId: 'ro-moved', phaseIndex: 0 }, context);
    // Another change was deployed on top by hand: restoring the rollout's "before" would drop it.
    const other = await api.call('POST', '/environments/prod-eu/deployments', {
      as: 'olivia',
      body: { bundle: 'checkout-legacy@1' },
    });
    expect(other.status).toBe(201);
    const error = await failure(rollBack({ rolloutId: 'ro-moved', reason: { value: 'alarm' } }, context));
    expect(error?.name).toBe('Convoy.Conflict');
    expect((await stateOf('ro-moved')).status).toBe('rolling-back');
  });
});

describe('without a catalog', () => {
  let table: TestTable;
  beforeAll(async () => {
    catalogless = true;
    table = await createTestTable('rollout-nocat');
    api.deps.store = createConvoyStore({ doc: table.doc, tableName: table.tableName });
  });
  afterAll(async () => {
    api.deps.store = api.store;
    await table.drop();
  });

  it('deploy and roll back fail with Convoy.NotFound', async () => {
    const store = createConvoyStore({ doc: table.doc, tableName: table.tableName });
    await createRollout(store.rollouts, {
      type: 'RolloutStarted',
      seq: 0,
      at: '2026-11-23T10:00:00.000Z',
      rolloutId: 'ro-nocat',
      bundle: { name: 'b', version: '1', hash: 'h' },
      strategy,
      environmentsBefore: {},
      by: 'olivia',
    });
    expect((await failure(deployPhase({ rolloutId: 'ro-nocat', phaseIndex: 0 }, context)))?.name).toBe(
      'Convoy.NotFound',
    );
    expect((await failure(rollBack({ rolloutId: 'ro-nocat', reason: { value: 'x' } }, context)))?.name).toBe(
      'Convoy.NotFound',
    );
  });
});
