import { beforeAll, describe, expect, it } from 'vitest';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { advance, deployed, seedRolloutWorld, startBody } from './support.ts';

describe('GET /rollouts and /rollouts/{id}', () => {
  let api: TestApi;
  let first: string;
  let second: string;
  beforeAll(async () => {
    api = await createTestApi();
    await seedRolloutWorld(api);
    api.clock.now = new Date('2026-11-23T10:00:00Z');
    first = (await api.call('POST', '/rollouts', { body: startBody() })).json.id;
    api.clock.now = new Date('2026-11-23T11:00:00Z');
    second = (await api.call('POST', '/rollouts', { body: startBody('prod-first', 'identity-session@2') }))
      .json.id;
    api.clock.now = new Date('2026-11-23T11:01:00Z');
    await advance(api, first, [
      ...deployed('dev', 'dev'),
      {
        type: 'HealthChecked',
        phase: 'dev',
        verdict: 'unhealthy',
        alarms: [
          { name: 'dev-5xx-rate', state: 'ALARM' },
          { name: 'dev-checkout-p99', state: 'OK' },
        ],
        consecutiveUnknown: 0,
        reason: 'dev-5xx-rate is in ALARM',
      },
      { type: 'RollbackStarted', reason: 'dev-5xx-rate is in ALARM' },
      { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-2' },
      { type: 'RolledBack' },
    ]);
  });

  it('shows a rollout: its state, phases, health and timeline, with the last seq as ETag', async () => {
    const res = await api.call('GET', `/rollouts/${first}`, { as: 'vera' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"6"');
    const at = '2026-11-23T11:01:00.000Z';
    expect(res.json).toEqual({
      id: first,
      bundle: 'checkout-timeouts@3',
      bundleHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      strategy: 'standard',
      status: 'rolled-back',
      reason: 'dev-5xx-rate is in ALARM',
      startedAt: '2026-11-23T10:00:00.000Z',
      startedBy: 'olivia',
      endedAt: at,
      currentPhase: 'dev',
      health: {
        verdict: 'unhealthy',
        at,
        reason: 'dev-5xx-rate is in ALARM',
        alarms: [
          { name: 'dev-5xx-rate', state: 'ALARM' },
          { name: 'dev-checkout-p99', state: 'OK' },
        ],
      },
      consecutiveUnknown: 0,
      promoted: false,
      freeze: null,
      phases: [
        {
          name: 'dev',
          environments: ['dev'],
          status: 'rolled-back',
          deployedAt: at,
          bakedUntil: '2026-11-23T11:06:00.000Z',
          approval: false,
        },
        ...[
          ['staging', 'staging', true],
          ['prod-canary', 'prod-eu', false],
          ['prod', 'prod-us', false],
        ].map(([name, env, approval]) => ({
          name,
          environments: [env],
          status: 'skipped',
          deployedAt: null,
          bakedUntil: null,
          approval,
        })),
      ],
      events: [
        {
          seq: 0,
          at: '2026-11-23T10:00:00.000Z',
          type: 'RolloutStarted',
          phase: null,
          environment: null,
          detail: expect.any(String),
        },
        { seq: 1, at, type: 'PhaseStarted', phase: 'dev', environment: null, detail: expect.any(String) },
        {
          seq: 2,
          at,
          type: 'PhaseDeployed',
          phase: 'dev',
          environment: 'dev',
          detail: expect.any(String),
        },
        { seq: 3, at, type: 'HealthChecked', phase: 'dev', environment: null, detail: expect.any(String) },
        {
          seq: 4,
          at,
          type: 'RollbackStarted',
          phase: null,
          environment: null,
          detail: expect.any(String),
        },
        {
          seq: 5,
          at,
          type: 'PhaseRolledBack',
          phase: 'dev',
          environment: 'dev',
          detail: expect.any(String),
        },
        { seq: 6, at, type: 'RolledBack', phase: null, environment: null, detail: expect.any(String) },
      ],
      anomalies: [],
    });
    const stored = await api.store.rollouts.events(first);
    expect(res.json.events.map((e: { detail: string }) => e.detail)).toEqual(stored.map(describeEvent));
  });

  it('lists rollouts newest first, with their current status', async () => {
    const res = await api.call('GET', '/rollouts', { as: 'priya' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      rollouts: [
        {
          id: second,
          bundle: 'identity-session@2',
          strategy: 'prod-first',
          status: 'pending',
          currentPhase: null,
          startedAt: '2026-11-23T11:00:00.000Z',
          startedBy: 'olivia',
          endedAt: null,
        },
        {
          id: first,
          bundle: 'checkout-timeouts@3',
          strategy: 'standard',
          status: 'rolled-back',
          currentPhase: 'dev',
          startedAt: '2026-11-23T10:00:00.000Z',
          startedBy: 'olivia',
          endedAt: '2026-11-23T11:01:00.000Z',
        },
      ],
    });
    const one = await api.call('GET', '/rollouts?limit=1');
    expect(one.json.rollouts.map((r: { id: string }) => r.id)).toEqual([second]);
  });

  it('answers 404 for an unknown rollout', async () => {
    const res = await api.call('GET', '/rollouts/ro-unknown');
    expect(res.status).toBe(404);
    expect(res.json.detail).toBe('Rollout ro-unknown does not exist.');
  });

  it('refuses a principal without a role with 403', async () => {
    expect((await api.call('GET', `/rollouts/${first}`, { as: 'mallory' })).status).toBe(403);
    expect((await api.call('GET', '/rollouts', { as: 'mallory' })).status).toBe(403);
  });

  it.each([
    ['/rollouts/..%2Fetc', /path\.id must be 1-63 lowercase/],
    ['/rollouts/ro-%00', /path\.id must be 1-63 lowercase/],
    [`/rollouts/${'a'.repeat(10_000)}`, /path\.id must be 1-63 lowercase/],
    ['/rollouts?limit=0', /query\.limit/],
    ['/rollouts?limit=101', /query\.limit/],
    ['/rollouts?limit=ten', /query\.limit/],
    ['/rollouts?status=running', /query.*status/],
  ])('answers 400 naming the field for GET %s', async (url, detail) => {
    const res = await api.call('GET', url);
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(detail);
  });
});
