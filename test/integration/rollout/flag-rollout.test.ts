import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RAMP_FLAG,
  rampCatalogDocument,
  rampFlagBundle,
  rampFlagDefinition,
  servedOn,
} from '../../support/flag-ramp.ts';
import { createRolloutHarness, ENVS, type RolloutHarness } from './harness.ts';

/**
 * A flag ramp through the real progressive-rollout ASL and handlers on DynamoDB Local: prod-eu 1% → 5%
 * → 25%, each step a `flag-step` HEAD flip; an alarm at the second step rolls the flag back.
 */
let h: RolloutHarness;

beforeAll(async () => {
  h = await createRolloutHarness({ catalog: rampCatalogDocument() });
  const pushed = await h.api.call('POST', '/bundles', { as: 'olivia', body: rampFlagBundle });
  expect(pushed.status).toBe(201);
  const deployed = await h.api.call('POST', '/environments/prod-eu/deployments', {
    as: 'olivia',
    body: { bundle: `${rampFlagBundle.name}@1` },
  });
  expect(deployed.status).toBe(201);
  for (const env of ENVS) h.alarms.set(`${env}-5xx-rate`, 'OK');
});
afterAll(async () => {
  await h.close();
});

const definitionAt = async (snapshot: string): Promise<unknown> =>
  (await h.api.store.snapshots.getSnapshot(snapshot)).values[RAMP_FLAG];

const ramp = (percents: number[]) =>
  h.strategy({
    phases: percents.map((percent) => ({
      name: `eu-${String(percent).replace('.', '-')}`,
      environments: ['prod-eu'],
      bake: 'PT5M',
      flag: { key: RAMP_FLAG, percent },
    })),
  });

describe('flag rollout', () => {
  it('rolls the flag back to its definition before the rollout when an alarm fires at the second step; stickiness holds over 10,000 contexts', async () => {
    const before = (await h.api.store.environments.getHead('prod-eu'))?.snapshot ?? '';
    const execution = await h.start('ro-flag-alarm', ramp([1, 5, 25]));
    await h.waitFor('ro-flag-alarm', (s) => (s.phases[1]?.deployments.length ?? 0) > 0);
    h.alarms.set('prod-eu-5xx-rate', 'ALARM');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    const state = await h.stateOf('ro-flag-alarm');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('rolled-back');
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'rolled-back', 'skipped']);
    const head = await h.api.store.environments.getHead('prod-eu');
    expect(head?.snapshot).toBe(before);
    expect(await definitionAt(head?.snapshot ?? '')).toEqual(rampFlagDefinition);
    const rollback = await h.api.store.environments.getDeployment('prod-eu', head?.deploymentId ?? '');
    expect(rollback).toMatchObject({ kind: 'rollback' });

    // Stickiness across the steps the rollout made, with the real evaluator: whoever saw `on` at 1%
    // still sees it at 5%.
    const steps = state.phases.flatMap((p) => p.deployments);
    const [at1, at5] = await Promise.all(steps.map((s) => definitionAt(s.snapshot)));
    const on1 = servedOn(at1, 10_000);
    const on5 = servedOn(at5, 10_000);
    expect([...on1].filter((key) => !on5.has(key))).toEqual([]);
    expect(on1.size).toBeGreaterThan(50);
    expect(on1.size).toBeLessThan(150);
    expect(on5.size).toBeGreaterThan(400);
    expect(on5.size).toBeLessThan(600);
    expect(servedOn(await definitionAt(before), 10_000).size).toBe(0);
    h.alarms.set('prod-eu-5xx-rate', 'OK');
  });

  it('ramps 1% → 5% → 25% and succeeds, each step a flag-step record changing only the split', async () => {
    const before = (await h.api.store.environments.getHead('prod-eu'))?.snapshot ?? '';
    const done = await h.finished(await h.start('ro-flag-happy', ramp([1, 5, 25])));
    expect(done.status).toBe('SUCCEEDED');
    const state = await h.stateOf('ro-flag-happy');
    expect(state.status).toBe('succeeded');
    const steps = state.phases.flatMap((p) => p.deployments);
    expect(steps).toHaveLength(3);
    expect(steps[0]?.previousSnapshot).toBe(before);
    for (const [i, step] of steps.entries()) {
      const record = await h.api.store.environments.getDeployment('prod-eu', step.deploymentId);
      expect(record).toMatchObject({ kind: 'flag-step', flag: { key: RAMP_FLAG, percent: [1, 5, 25][i] } });
      const [was, now] = await Promise.all([
        h.api.store.snapshots.getSnapshot(step.previousSnapshot),
        h.api.store.snapshots.getSnapshot(step.snapshot),
      ]);
      // Only the flag changed, and in it only the rollout rule's split.
      expect({ ...now.values, [RAMP_FLAG]: null }).toEqual({ ...was.values, [RAMP_FLAG]: null });
      const weight = [10, 50, 250][i] ?? 0;
      expect(now.values[RAMP_FLAG]).toEqual({
        ...rampFlagDefinition,
        rules: [
          rampFlagDefinition.rules[0],
          {
            rollout: {
              split: [
                { variant: 'on', weight },
                { variant: 'off', weight: 1000 - weight },
              ],
            },
          },
        ],
      });
    }
    const audit = await h.api.store.audit.listEvents({ chain: 'prod-eu' });
    const stepped = audit.filter((e) => e.type === 'FlagStepped' && e.detail.rolloutId === 'ro-flag-happy');
    expect(stepped.map((e) => e.detail.percent)).toEqual([1, 5, 25]);
  });
});
