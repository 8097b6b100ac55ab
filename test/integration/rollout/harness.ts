import { performRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import type { RolloutAction } from '#domain/rollout/operator-action-names.ts';
import { rolloutWorkflowInput } from '#app/rollouts/rollout-stream.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { strategySchema, type Strategy, type StrategyInput } from '#domain/rollout/strategy.ts';
import { createEventBus } from '#local/event-bus.ts';
import type { LocalAlarms } from '#local/local-alarms.ts';
import { LocalEventPublisher } from '#local/local-event-publisher.ts';
import { moduleFunction } from '#local/lambda-runtime.ts';
import { createLocalWorkflows, localWorkflowFunctions } from '#local/local-workflows.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import type { LocalFunction } from '#local/workflow/task-bindings.ts';
import type { WorkflowRunner } from '#local/workflow/workflow-runner.ts';
import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { createRollout } from '../../fixtures/rollouts.ts';

export const ENVS = ['dev', 'staging', 'prod-eu', 'prod-us'];
export const MINUTE = 60_000;

/**
 * The real progressive-rollout ASL on aws-local-stepfunctions with the real handlers, on DynamoDB Local.
 * Workflow time runs `scale` times faster and the handlers' clock at the same pace.
 */
export interface RolloutHarness {
  api: TestApi;
  runner: WorkflowRunner;
  alarms: LocalAlarms;
  /** The handlers' clock, epoch ms. */
  now(): number;
  heads(): Promise<Record<string, string>>;
  /** Every environment back on the pre-rollout snapshot, every alarm OK, monitoring up. */
  reset(): Promise<void>;
  strategy(
    input: Omit<StrategyInput, 'name' | 'health'> & { health?: Partial<StrategyInput['health']> },
  ): Strategy;
  start(rolloutId: string, strategy: Strategy, limit?: number): Promise<ExecutionRecord>;
  /**
   * The rollout's last execution once it has ended: it follows hand-overs (an operator's kick,
   * continue-as-new) from `execution` to the execution the rollout went on in.
   */
  finished(execution: ExecutionRecord): Promise<ExecutionRecord>;
  /** The execution the rollout runs in now (its stored execution name), once it exists. */
  current(rolloutId: string): Promise<ExecutionRecord>;
  stateOf(rolloutId: string): Promise<RolloutState>;
  /** Poll the stored state until `predicate` holds. */
  waitFor(rolloutId: string, predicate: (state: RolloutState) => boolean): Promise<RolloutState>;
  act(rolloutId: string, action: RolloutAction, reason?: string): Promise<void>;
  close(): Promise<void>;
}

export const createRolloutHarness = async (
  options: {
    scale?: number;
    wrap?: Record<string, (real: LocalFunction) => LocalFunction>;
    /** A catalog document to apply instead of the fixture catalog. */
    catalog?: Record<string, unknown>;
    /** Seeds another world instead (catalog, services, bundles, earlier deployments). */
    seed?: (api: TestApi) => Promise<void>;
  } = {},
): Promise<RolloutHarness> => {
  const scale = options.scale ?? 300;
  const api = await createTestApi();
  if (options.seed) await options.seed(api);
  else if (options.catalog) {
    const applied = await api.call('PUT', '/catalog', { as: 'olivia', body: options.catalog });
    if (applied.status !== 200) throw new Error(`catalog: ${applied.text}`);
  } else {
    await api.seedCatalog();
  }
  for (const bundle of options.seed ? [] : [checkoutTimeouts, sessionTtl]) {
    const pushed = await api.call('POST', '/bundles', { as: 'olivia', body: bundle });
    if (pushed.status !== 201) throw new Error(`push: ${pushed.text}`);
  }
  for (const env of options.seed ? [] : ENVS) {
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
  const heads = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      await Promise.all(
        ENVS.map(async (env) => [env, (await api.store.environments.getHead(env))?.snapshot ?? '']),
      ),
    );
  const baseline = await heads();

  const base = api.clock.now.getTime();
  const realStart = Date.now();
  const now = () => base + (Date.now() - realStart) * scale;
  const publisher = new LocalEventPublisher(createEventBus(), () => new Date(now()));
  const functions = Object.fromEntries(
    Object.entries(options.wrap ?? {}).map(([name, wrap]) => [
      name,
      wrap(moduleFunction(name, localWorkflowFunctions[name] ?? '', () => api.deps)),
    ]),
  );
  const workflows = createLocalWorkflows({
    events: publisher,
    deps: () => api.deps,
    timeScale: scale,
    clock: now,
    functions,
  });
  const { runner, alarms } = workflows;
  Object.assign(api.deps, { now: () => new Date(now()), events: publisher, workflows: workflows.engine });

  const stateOf = async (rolloutId: string) => reduceRollout(await api.store.rollouts.events(rolloutId));
  const current = async (rolloutId: string): Promise<ExecutionRecord> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const name = (await stateOf(rolloutId)).executionName ?? rolloutId;
      const found = runner.list().find((e) => e.name === name);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`rollout ${rolloutId}: no execution ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  return {
    api,
    runner,
    alarms,
    now,
    heads,
    async reset() {
      alarms.outage(false);
      for (const env of ENVS) alarms.set(`${env}-5xx-rate`, 'OK');
      for (const env of ENVS) {
        const head = await api.store.environments.getHead(env);
        if (head?.snapshot === baseline[env]) continue;
        const records = await api.store.environments.listDeployments(env);
        const target = records.find((r) => r.snapshot === baseline[env]);
        const result = await api.call('POST', `/environments/${env}/rollback`, {
          as: 'olivia',
          body: target ? { to: target.id } : {},
        });
        if (result.status >= 300) throw new Error(`reset ${env}: ${result.text}`);
      }
    },
    strategy: (input) =>
      strategySchema.parse({
        name: 'test',
        ...input,
        health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M', ...input.health },
      }),
    async start(rolloutId, strategy, limit) {
      await createRollout(api.store.rollouts, {
        type: 'RolloutStarted',
        seq: 0,
        at: new Date(now()).toISOString(),
        rolloutId,
        bundle: { name: checkoutTimeouts.name, version: checkoutTimeouts.version, hash: 'h' },
        strategy,
        environmentsBefore: await heads(),
        by: 'olivia',
      });
      return runner.start({
        workflow: 'progressive-rollout',
        name: rolloutId,
        input: rolloutWorkflowInput(rolloutId, limit),
      });
    },
    async finished(execution) {
      const rolloutId = String(execution.input.rolloutId);
      let ended = await runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
      for (;;) {
        const next = await current(rolloutId);
        if (next.executionId === ended.executionId) return ended;
        ended = await runner.until(next.executionId, (e) => e.status !== 'RUNNING');
      }
    },
    current,
    stateOf,
    async waitFor(rolloutId, predicate) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = await stateOf(rolloutId);
        if (predicate(state)) return state;
        if (Date.now() > deadline)
          throw new Error(`rollout ${rolloutId} stayed ${state.status}: ${state.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async act(rolloutId, action, reason) {
      await performRolloutAction(api.deps, {
        rolloutId,
        action,
        principal: 'olivia',
        ...(reason === undefined ? {} : { reason }),
      });
    },
    async close() {
      await runner.stop();
      await api.table.drop();
    },
  };
};
