import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLOUT_WORKFLOW_PRINCIPAL } from '#app/rollouts/rollout-stream.ts';
import { strategySchema, type StrategyInput } from '#domain/rollout/strategy.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import { checkoutTimeouts } from '../../fixtures/bundles.ts';
import { createRolloutHarness, ENVS, type RolloutHarness } from './harness.ts';

/**
 * The real statemachines/progressive-rollout.asl.json on aws-local-stepfunctions, its Tasks bound to
 * the real rollout handlers, on DynamoDB Local; DescribeAlarms bound to the local alarm source.
 */
let h: RolloutHarness;
let baseline: Record<string, string>;

const strategyInput = (
  unknown: { after: number; action: 'pause' | 'rollback' } = { after: 3, action: 'pause' },
) =>
  strategySchema.parse({
    name: 'standard',
    phases: ENVS.map((env) => ({ name: env, environments: [env], bake: 'PT5M' })),
    health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M', unknown },
  } satisfies StrategyInput);

/** Store RolloutStarted and start the workflow; `before` is every HEAD when it started. */
const startRollout = async (
  rolloutId: string,
  strategy = strategyInput(),
): Promise<{ execution: ExecutionRecord; before: Record<string, string> }> => {
  const before = await h.heads();
  return { execution: await h.start(rolloutId, strategy), before };
};
const statesOf = (execution: ExecutionRecord) => execution.history.map((s) => s.state);

beforeAll(async () => {
  h = await createRolloutHarness();
  baseline = await h.heads();
});
afterAll(async () => {
  await h.close();
});

describe('progressive-rollout workflow', () => {
  it('deploys 4 phases one after the other, baking each while healthy, and succeeds', async () => {
    await h.reset();
    const { execution } = await startRollout('ro-happy');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done).filter((s) => s === 'Deploy Phase')).toHaveLength(4);
    expect(statesOf(done).at(-1)).toBe('Succeeded');

    const state = await h.stateOf('ro-happy');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('succeeded');
    expect(state.phases.map((p) => p.status)).toEqual(['baked', 'baked', 'baked', 'baked']);
    // Every HEAD in the table runs the rollout's deployment, a rollout-phase change by the workflow.
    for (const env of ENVS) {
      const head = await h.api.store.environments.getHead(env);
      const deployment = state.phases.flatMap((p) => p.deployments).find((d) => d.environment === env);
      expect(head?.deploymentId).toBe(deployment?.deploymentId);
      expect(head?.snapshot).toBe(deployment?.snapshot);
      expect(head?.snapshot).not.toBe(baseline[env]);
      const record = await h.api.store.environments.getDeployment(env, head?.deploymentId ?? '');
      expect(record).toMatchObject({
        principal: ROLLOUT_WORKFLOW_PRINCIPAL,
        idempotencyKey: `ro-happy:${env}:${env}`,
        bundle: { name: checkoutTimeouts.name },
      });
    }
    // Each phase advanced only after healthy checks had covered its bake.
    const events = await h.api.store.rollouts.events('ro-happy');
    for (const env of ENVS) {
      const baked = events.find((e) => e.type === 'PhaseBaked' && e.phase === env);
      const deployed = events.find((e) => e.type === 'PhaseDeployed' && e.phase === env);
      expect(Date.parse(baked?.at ?? '') - Date.parse(deployed?.at ?? '')).toBeGreaterThanOrEqual(5 * 60_000);
    }
  });

  it('rolls back phases 3, 2 and 1, newest first, when an alarm fires in phase 3; HEADs are back', async () => {
    await h.reset();
    h.alarms.set('prod-eu-5xx-rate', 'ALARM');
    const { execution, before } = await startRollout('ro-alarm');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    expect(statesOf(done).filter((s) => s === 'Deploy Phase')).toHaveLength(3);

    const state = await h.stateOf('ro-alarm');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toContain('ALARM prod-eu-5xx-rate');
    expect(state.phases.map((p) => p.status)).toEqual([
      'rolled-back',
      'rolled-back',
      'rolled-back',
      'skipped',
    ]);
    const events = await h.api.store.rollouts.events('ro-alarm');
    expect(events.flatMap((e) => (e.type === 'PhaseRolledBack' ? [e.environment] : []))).toEqual([
      'prod-eu',
      'staging',
      'dev',
    ]);
    expect(await h.heads()).toEqual(before);
    expect(before).toEqual(baseline);
    // prod-us was never touched by this rollout.
    const prodUs = await h.api.store.environments.listDeployments('prod-us');
    expect(prodUs.filter((d) => d.idempotencyKey?.startsWith('ro-alarm:'))).toEqual([]);
    // Every restore is a rollback record of the workflow, keyed per environment (a retry replays it).
    for (const env of ['prod-eu', 'staging', 'dev']) {
      const [latest] = await h.api.store.environments.listDeployments(env, 1);
      expect(latest).toMatchObject({
        kind: 'rollback',
        principal: ROLLOUT_WORKFLOW_PRINCIPAL,
        idempotencyKey: `ro-alarm:rollback:${env}`,
      });
    }
  });

  it('pauses after 3 checks in a row during a DescribeAlarms outage and never advances', async () => {
    await h.reset();
    h.alarms.outage(true);
    const { execution } = await startRollout('ro-outage');
    const waiting = await h.runner.until(execution.executionId, (e) => e.waitingFor.length === 1);
    expect(statesOf(waiting).filter((s) => s === 'Check Health')).toHaveLength(3);
    expect(statesOf(waiting).filter((s) => s === 'Monitoring Unavailable')).toHaveLength(3);
    expect(statesOf(waiting)).not.toContain('Last Phase?');
    expect(statesOf(waiting).at(-1)).toBe('Await Resume');

    const state = await h.stateOf('ro-outage');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('paused');
    expect(state.currentPhase).toBe('dev');
    expect(state.phases.map((p) => p.status)).toEqual(['baking', 'pending', 'pending', 'pending']);
    const checks = (await h.api.store.rollouts.events('ro-outage')).flatMap((e) =>
      e.type === 'HealthChecked' ? [[e.verdict, e.consecutiveUnknown]] : [],
    );
    expect(checks).toEqual([
      ['unknown', 1],
      ['unknown', 2],
      ['unknown', 3],
    ]);
    expect((await h.api.store.rollouts.get('ro-outage'))?.taskToken).toBe(waiting.waitingFor[0]);
    h.alarms.outage(false);
  });
});
