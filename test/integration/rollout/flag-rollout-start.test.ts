import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import { pauseRolloutsRampingFlag } from '#app/rollouts/pause-for-kill.ts';
import { stepFlag } from '#app/rollouts/step-flag.ts';
import type { JsonObject } from '#domain/core/json.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import {
  RAMP_FLAG,
  rampCatalogDocument,
  rampFlagBundle,
  rampFlagDefinition,
} from '../../support/flag-ramp.ts';

/**
 * Starting flag rollouts through the API (validation against each environment's flag definitions) and
 * pausing the rollouts that ramp a killed flag, on DynamoDB Local.
 */
let api: TestApi;

const strategy = (name: string, environment: string, percents: number[], key = RAMP_FLAG) => ({
  name,
  phases: percents.map((percent, i) => ({
    name: `step-${i}`,
    environments: [environment],
    bake: 'PT5M',
    flag: { key, percent },
  })),
  health: { alarms: ['{env}-5xx-rate'] },
});

const start = (body: Record<string, unknown>) =>
  api.call('POST', '/rollouts', { as: 'olivia', body: { bundle: `${rampFlagBundle.name}@1`, ...body } });

beforeAll(async () => {
  api = await createTestApi();
  expect((await api.call('PUT', '/catalog', { as: 'olivia', body: rampCatalogDocument() })).status).toBe(200);
  expect((await api.call('POST', '/bundles', { as: 'olivia', body: rampFlagBundle })).status).toBe(201);
  const ambiguous = {
    ...rampFlagBundle,
    version: '2',
    changes: [
      {
        set: RAMP_FLAG,
        value: {
          ...rampFlagDefinition,
          rules: [...rampFlagDefinition.rules, rampFlagDefinition.rules[1] as JsonObject],
        },
      },
    ],
  };
  expect((await api.call('POST', '/bundles', { as: 'olivia', body: ambiguous })).status).toBe(201);
  for (const [env, version] of [
    ['prod-eu', '1'],
    ['prod-us', '1'],
    ['staging', '2'],
  ] as const) {
    const deployed = await api.call('POST', `/environments/${env}/deployments`, {
      as: 'olivia',
      body: { bundle: `${rampFlagBundle.name}@${version}` },
    });
    expect(deployed.status).toBe(201);
  }
});
afterAll(async () => {
  await api.table.drop();
});

describe('starting a flag rollout', () => {
  it('accepts a strategy ramping a flag with one rollout rule', async () => {
    const started = await start({ id: 'ro-eu', strategy: strategy('eu-ramp', 'prod-eu', [1, 5, 25, 100]) });
    expect(started.status).toBe(201);
  });

  it('refuses, writing nothing, a flag with two rollout rules, a decreasing percent or an unknown flag', async () => {
    const cases = [
      [strategy('two-rules', 'staging', [1, 5]), 'strategy.flag-rollout-rule'],
      [strategy('down', 'prod-eu', [5, 1]), 'strategy.flag-percent-decreases'],
      [strategy('unknown', 'prod-eu', [5], 'payments.checkout.nope'), 'strategy.flag-unknown'],
      [strategy('undefined', 'dev', [5]), 'strategy.flag-undefined'],
    ] as const;
    for (const [document, code] of cases) {
      const before = await api.store.rollouts.list();
      const refused = await start({ strategy: document });
      expect(refused.status, refused.text).toBe(422);
      expect(JSON.stringify(refused.json)).toContain(code);
      expect(await api.store.rollouts.list()).toEqual(before);
    }
  });
});

describe('pauseRolloutsRampingFlag', () => {
  it('pauses, audited, only the running rollouts that ramp the killed flag in that environment', async () => {
    expect((await start({ id: 'ro-us', strategy: strategy('us-ramp', 'prod-us', [10, 50]) })).status).toBe(
      201,
    );
    const result = await pauseRolloutsRampingFlag(api.deps, {
      environment: 'prod-eu',
      flag: RAMP_FLAG,
      reason: 'INC-9 checkout errors',
      at: '2026-11-23T10:00:00.000Z',
    });
    expect(result).toEqual({ paused: ['ro-eu'] });
    const eu = reduceRollout(await api.store.rollouts.events('ro-eu'));
    expect(eu.status).toBe('paused');
    expect(eu.pausedBy).toBe('flag-kill-switch');
    expect(eu.reason).toContain('INC-9 checkout errors');
    expect(reduceRollout(await api.store.rollouts.events('ro-us')).status).toBe('pending');
    const audit = await api.store.audit.listEvents({ chain: '_rollout' });
    expect(audit.filter((e) => e.type === 'RolloutPaused' && e.subject === 'ro-eu')).toHaveLength(1);
    // A second kill finds nothing left to pause.
    const again = await pauseRolloutsRampingFlag(api.deps, {
      environment: 'prod-eu',
      flag: RAMP_FLAG,
      reason: 'again',
      at: '2026-11-23T10:01:00.000Z',
      by: 'olivia',
    });
    expect(again).toEqual({ paused: [] });
  });

  it('is what a kill through the API does: the rollout ramping the flag there pauses, by whoever killed it', async () => {
    await applyRolloutAction(api.deps, {
      rolloutId: 'ro-eu',
      action: 'resume',
      principal: 'olivia',
      reason: 'fixed',
    });
    const kill = await api.call('POST', `/environments/prod-eu/flags/${RAMP_FLAG}/kill`, {
      as: 'olivia',
      body: { reason: 'INC-10 errors again' },
    });
    expect(kill.status).toBe(201);
    const eu = reduceRollout(await api.store.rollouts.events('ro-eu'));
    expect(eu.status).toBe('paused');
    expect(eu.pausedBy).toBe('olivia');
    expect(eu.reason).toContain('INC-10 errors again');
    expect(reduceRollout(await api.store.rollouts.events('ro-us')).status).toBe('pending');
  });
});

describe('stepFlag', () => {
  const change = async (environment: string, idempotencyKey: string) => ({
    environment,
    principal: 'olivia',
    at: '2026-11-23T10:00:00.000Z',
    catalog: (await api.store.catalogs.getCatalog())!,
    idempotencyKey,
  });

  it('flips HEAD with a flag-step record, replays its key, and refuses what it cannot ramp', async () => {
    const step = { key: RAMP_FLAG, percent: 40 };
    const rollout = { id: 'ro-direct', phase: 'p' };
    const first = await stepFlag(api.deps, await change('prod-us', 'k1'), step, rollout);
    expect(first.deployment).toMatchObject({ kind: 'flag-step', flag: step });
    const replayed = await stepFlag(api.deps, await change('prod-us', 'k1'), step, rollout);
    expect(replayed.deployment.id).toBe(first.deployment.id);
    await expect(stepFlag(api.deps, await change('prod-us', 'k2'), step, rollout)).rejects.toMatchObject({
      code: 'already-deployed',
    });
    await expect(stepFlag(api.deps, await change('staging', 'k3'), step, rollout)).rejects.toMatchObject({
      code: 'validation-failed',
    });
  });

  it('checks a flag phase after a bundle phase against the flag as the bundle deploys it', async () => {
    const document = {
      name: 'deploy-then-ramp',
      phases: [
        { name: 'deploy', environments: ['dev'], bake: 'PT5M' },
        { name: 'ramp-1', environments: ['dev'], bake: 'PT5M', flag: { key: RAMP_FLAG, percent: 10 } },
        { name: 'ramp-2', environments: ['dev'], bake: 'PT5M', flag: { key: RAMP_FLAG, percent: 20 } },
      ],
      health: { alarms: ['{env}-5xx-rate'] },
    };
    const started = await start({ id: 'ro-deploy-ramp', strategy: document });
    expect(started.status, started.text).toBe(201);
  });
});

describe('pauseRolloutsRampingFlag in a race', () => {
  it('skips a rollout paused by someone else between its read and its pause', async () => {
    expect((await start({ id: 'ro-race', strategy: strategy('race', 'prod-eu', [60, 70]) })).status).toBe(
      201,
    );
    await applyRolloutAction(api.deps, {
      rolloutId: 'ro-race',
      action: 'pause',
      principal: 'olivia',
      reason: 'first',
    });
    let stale = true;
    const rollouts = Object.create(api.store.rollouts) as typeof api.store.rollouts;
    rollouts.events = async (id: string) => {
      const events = await api.store.rollouts.events(id);
      if (id !== 'ro-race' || !stale) return events;
      stale = false;
      return events.slice(0, -1);
    };
    const deps = { ...api.deps, store: { ...api.store, rollouts } };
    const result = await pauseRolloutsRampingFlag(deps, {
      environment: 'prod-eu',
      flag: RAMP_FLAG,
      reason: 'race',
      at: '2026-11-23T10:02:00.000Z',
    });
    expect(result).toEqual({ paused: [] });
  });
});
