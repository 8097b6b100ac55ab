import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../../functions/shared/deps.ts';
import {
  ROLLOUT_WORKFLOW_PRINCIPAL,
  rolloutWorkflowInput,
} from '../../../functions/shared/rollout-stream.ts';
import { reduceRollout } from '../../../lib/domain/rollout/reduce.ts';
import { strategySchema, type StrategyInput } from '../../../lib/domain/rollout/strategy.ts';
import type { LocalAlarms } from '../../../lib/local/local-alarms.ts';
import { LocalEventPublisher } from '../../../lib/local/local-event-publisher.ts';
import { createEventBus } from '../../../lib/local/event-bus.ts';
import { createLocalWorkflows } from '../../../lib/local/local-workflows.ts';
import type { ExecutionRecord, WorkflowRunner } from '../../../lib/local/workflow-runner.ts';
import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';

/**
 * The real statemachines/progressive-rollout.asl.json on aws-local-stepfunctions, its Tasks bound to
 * the real rollout handlers, on DynamoDB Local; DescribeAlarms bound to the local alarm source.
 * Workflow time runs SCALE times faster, and the handlers' clock runs at the same pace.
 */
const SCALE = 600;
const ENVS = ['dev', 'staging', 'prod-eu', 'prod-us'];

let api: TestApi;
let runner: WorkflowRunner;
let alarms: LocalAlarms;

const strategyInput = (
  unknown: { after: number; action: 'pause' | 'rollback' } = { after: 3, action: 'pause' },
) =>
  strategySchema.parse({
    name: 'standard',
    phases: ENVS.map((env) => ({ name: env, environments: [env], bake: 'PT5M' })),
    health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M', unknown },
  } satisfies StrategyInput);

const heads = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    await Promise.all(
      ENVS.map(async (env) => [env, (await api.store.environments.getHead(env))?.snapshot ?? '']),
    ),
  );

/** Reset every environment to the pre-rollout snapshot, store RolloutStarted and start the workflow. */
const startRollout = async (
  rolloutId: string,
  strategy = strategyInput(),
): Promise<{ execution: ExecutionRecord; before: Record<string, string> }> => {
  const before = await heads();
  await api.store.rollouts.create({
    type: 'RolloutStarted',
    seq: 0,
    at: new Date().toISOString(),
    rolloutId,
    bundle: { name: checkoutTimeouts.name, version: checkoutTimeouts.version, hash: 'h' },
    strategy,
    environmentsBefore: before,
    by: 'olivia',
  });
  const execution = runner.start({
    workflow: 'progressive-rollout',
    name: rolloutId,
    input: rolloutWorkflowInput(rolloutId),
  });
  return { execution, before };
};

const finished = (execution: ExecutionRecord) =>
  runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
const statesOf = (execution: ExecutionRecord) => execution.history.map((h) => h.state);
const stateOf = async (rolloutId: string) => reduceRollout(await api.store.rollouts.events(rolloutId));

/** Undo whatever a previous test left deployed, so each test starts from the same HEADs. */
const resetEnvironments = async (snapshots: Record<string, string>): Promise<void> => {
  for (const env of ENVS) {
    const head = await api.store.environments.getHead(env);
    if (head?.snapshot === snapshots[env]) continue;
    const records = await api.store.environments.listDeployments(env);
    const target = records.find((r) => r.snapshot === snapshots[env]);
    const result = await api.call('POST', `/environments/${env}/rollback`, {
      as: 'olivia',
      body: target ? { to: target.id } : {},
    });
    if (result.status >= 300) throw new Error(`reset ${env}: ${result.text}`);
  }
};

let baseline: Record<string, string>;

beforeAll(async () => {
  api = await createTestApi();
  await api.seedCatalog();
  for (const bundle of [checkoutTimeouts, sessionTtl]) {
    const pushed = await api.call('POST', '/bundles', { as: 'olivia', body: bundle });
    if (pushed.status !== 201) throw new Error(`push: ${pushed.text}`);
  }
  for (const env of ENVS) {
    const report = await api.call('PUT', `/environments/${env}/services/checkout-api`, {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    if (report.status !== 200) throw new Error(`report: ${report.text}`);
    // An earlier release, so "before the rollout" is a real snapshot with its own deployment record.
    const deployed = await api.call('POST', `/environments/${env}/deployments`, {
      as: 'olivia',
      body: { bundle: `${sessionTtl.name}@${sessionTtl.version}` },
    });
    if (deployed.status !== 201) throw new Error(`deploy: ${deployed.text}`);
  }
  baseline = await heads();

  const base = api.clock.now.getTime();
  const realStart = Date.now();
  const now = () => base + (Date.now() - realStart) * SCALE;
  const publisher = new LocalEventPublisher(createEventBus(), () => new Date(now()));
  const workflows = createLocalWorkflows({ events: publisher, timeScale: SCALE, clock: now });
  runner = workflows.runner;
  alarms = workflows.alarms;
  setDeps({ now: () => new Date(now()), events: publisher, workflows: workflows.engine });
});

afterAll(async () => {
  await runner.stop();
  await api.table.drop();
});

const allOk = () => {
  alarms.outage(false);
  for (const env of ENVS) alarms.set(`${env}-5xx-rate`, 'OK');
};

describe('progressive-rollout workflow', () => {
  it('deploys 4 phases one after the other, baking each while healthy, and succeeds', async () => {
    await resetEnvironments(baseline);
    allOk();
    const { execution } = await startRollout('ro-happy');
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done).filter((s) => s === 'Deploy Phase')).toHaveLength(4);
    expect(statesOf(done).at(-1)).toBe('Succeeded');

    const state = await stateOf('ro-happy');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('succeeded');
    expect(state.phases.map((p) => p.status)).toEqual(['baked', 'baked', 'baked', 'baked']);
    // Every HEAD in the table runs the rollout's deployment, a rollout-phase change by the workflow.
    for (const env of ENVS) {
      const head = await api.store.environments.getHead(env);
      const deployment = state.phases.flatMap((p) => p.deployments).find((d) => d.environment === env);
      expect(head?.deploymentId).toBe(deployment?.deploymentId);
      expect(head?.snapshot).toBe(deployment?.snapshot);
      expect(head?.snapshot).not.toBe(baseline[env]);
      const record = await api.store.environments.getDeployment(env, head?.deploymentId ?? '');
      expect(record).toMatchObject({
        principal: ROLLOUT_WORKFLOW_PRINCIPAL,
        idempotencyKey: `ro-happy:${env}:${env}`,
        bundle: { name: checkoutTimeouts.name },
      });
    }
    // Each phase advanced only after healthy checks had covered its bake.
    const events = await api.store.rollouts.events('ro-happy');
    for (const env of ENVS) {
      const baked = events.find((e) => e.type === 'PhaseBaked' && e.phase === env);
      const deployed = events.find((e) => e.type === 'PhaseDeployed' && e.phase === env);
      expect(Date.parse(baked?.at ?? '') - Date.parse(deployed?.at ?? '')).toBeGreaterThanOrEqual(5 * 60_000);
    }
  });

  it('rolls back phases 3, 2 and 1, newest first, when an alarm fires in phase 3; HEADs are back', async () => {
    await resetEnvironments(baseline);
    allOk();
    alarms.set('prod-eu-5xx-rate', 'ALARM');
    const { execution, before } = await startRollout('ro-alarm');
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    expect(statesOf(done).filter((s) => s === 'Deploy Phase')).toHaveLength(3);

    const state = await stateOf('ro-alarm');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toContain('ALARM prod-eu-5xx-rate');
    expect(state.phases.map((p) => p.status)).toEqual([
      'rolled-back',
      'rolled-back',
      'rolled-back',
      'skipped',
    ]);
    const events = await api.store.rollouts.events('ro-alarm');
    expect(events.flatMap((e) => (e.type === 'PhaseRolledBack' ? [e.environment] : []))).toEqual([
      'prod-eu',
      'staging',
      'dev',
    ]);
    expect(await heads()).toEqual(before);
    expect(before).toEqual(baseline);
    // prod-us was never touched by this rollout.
    const prodUs = await api.store.environments.listDeployments('prod-us');
    expect(prodUs.filter((d) => d.idempotencyKey?.startsWith('ro-alarm:'))).toEqual([]);
    // Every restore is a rollback record of the workflow, keyed per environment (a retry replays it).
    for (const env of ['prod-eu', 'staging', 'dev']) {
      const [latest] = await api.store.environments.listDeployments(env, 1);
      expect(latest).toMatchObject({
        kind: 'rollback',
        principal: ROLLOUT_WORKFLOW_PRINCIPAL,
        idempotencyKey: `ro-alarm:rollback:${env}`,
      });
    }
  });

  it('pauses after 3 checks in a row during a DescribeAlarms outage and never advances', async () => {
    await resetEnvironments(baseline);
    allOk();
    alarms.outage(true);
    const { execution } = await startRollout('ro-outage');
    const waiting = await runner.until(execution.executionId, (e) => e.waitingFor.length === 1);
    expect(statesOf(waiting).filter((s) => s === 'Check Health')).toHaveLength(3);
    expect(statesOf(waiting).filter((s) => s === 'Monitoring Unavailable')).toHaveLength(3);
    expect(statesOf(waiting)).not.toContain('Last Phase?');
    expect(statesOf(waiting).at(-1)).toBe('Await Resume');

    const state = await stateOf('ro-outage');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('paused');
    expect(state.currentPhase).toBe('dev');
    expect(state.phases.map((p) => p.status)).toEqual(['baking', 'pending', 'pending', 'pending']);
    const checks = (await api.store.rollouts.events('ro-outage')).flatMap((e) =>
      e.type === 'HealthChecked' ? [[e.verdict, e.consecutiveUnknown]] : [],
    );
    expect(checks).toEqual([
      ['unknown', 1],
      ['unknown', 2],
      ['unknown', 3],
    ]);
    expect((await api.store.rollouts.get('ro-outage'))?.taskToken).toBe(waiting.waitingFor[0]);
    alarms.outage(false);
  });
});
