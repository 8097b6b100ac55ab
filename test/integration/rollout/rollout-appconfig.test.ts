import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundCatalog } from '../appconfig/support.ts';
import { createFakeAppConfig, type FakeAppConfig } from '../appconfig/fake-appconfig.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/**
 * A phase in an AppConfig-bound environment (prod-eu): the real ASL and handlers, AppConfig behind
 * aws-sdk-client-mock. The loop polls GetDeployment; AppConfig's ROLLED_BACK becomes a Convoy rollback.
 */
let h: RolloutHarness;
let fake: FakeAppConfig;
let baseline: Record<string, string>;

beforeAll(async () => {
  h = await createRolloutHarness({ catalog: boundCatalog() });
  fake = createFakeAppConfig();
  h.api.deps.appconfig = fake.publisher();
  baseline = await h.heads();
});
afterAll(async () => {
  await h.close();
});

const strategy = () =>
  h.strategy({
    phases: [
      { name: 'dev', environments: ['dev'], bake: 'PT2M' },
      { name: 'prod-eu', environments: ['prod-eu'], bake: 'PT3M' },
    ],
  });
const prodEuDeployments = () => fake.deployments.filter((d) => d.environmentId === 'env0eu1');
/** The AppConfig deployments of prod-eu after the first `known`, once the phase has started one. */
const started = async (known: number) => {
  while (prodEuDeployments().length <= known) await new Promise((resolve) => setTimeout(resolve, 10));
  return prodEuDeployments().slice(known);
};

describe('an AppConfig-bound phase', () => {
  it('does not finish its bake while AppConfig deploys, and succeeds once AppConfig completes', async () => {
    await h.reset();
    const execution = await h.start('ro-appconfig-ok', strategy());
    const [deployment] = await started(0);
    expect(deployment).toMatchObject({ state: 'DEPLOYING' });
    // Well past the bake, still deploying: no success.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await h.stateOf('ro-appconfig-ok')).status).toBe('running');
    fake.settle('env0eu1', deployment!.deploymentNumber, 'COMPLETE');
    await h.finished(execution);
    const state = await h.stateOf('ro-appconfig-ok');
    expect(state.status).toBe('succeeded');
    const record = await h.api.store.environments.getDeployment(
      'prod-eu',
      state.phases[1]!.deployments[0]!.deploymentId,
    );
    expect(record?.sinks.appconfig).toMatchObject({
      state: 'complete',
      deploymentNumber: deployment!.deploymentNumber,
    });
  });

  it('rolls the whole rollout back when AppConfig reports ROLLED_BACK, and re-publishes what was restored', async () => {
    await h.reset();
    for (const d of prodEuDeployments())
      if (d.state === 'DEPLOYING') fake.settle('env0eu1', d.deploymentNumber, 'COMPLETE');
    const before = prodEuDeployments().length;
    const execution = await h.start('ro-appconfig-rb', strategy());
    const [deployment] = await started(before);
    fake.settle('env0eu1', deployment!.deploymentNumber, 'ROLLED_BACK');
    const done = await h.finished(execution);
    expect(done.history.map((s) => s.state).at(-1)).toBe('Rolled Back');
    const state = await h.stateOf('ro-appconfig-rb');
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toBe('AppConfig rolled back prod-eu');
    expect(await h.heads()).toEqual(baseline);
    // The restored prod-eu configuration went to AppConfig as a new deployment.
    expect(prodEuDeployments().length).toBe(before + 2);
  });
});
