import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLLOUT_CHAIN, startRollout } from '#app/rollouts/start-rollout.ts';
import { rolloutWorkflowInput } from '#app/rollouts/rollout-stream.ts';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { yearEnd } from '../../support/freeze.ts';
import { prodFirst, seedRolloutWorld, standard, startBody } from './support.ts';

const start = (api: TestApi, body: unknown, options: { as?: string; key?: string } = {}) =>
  api.call('POST', '/rollouts', {
    body,
    ...(options.as === undefined ? {} : { as: options.as }),
    ...(options.key === undefined ? {} : { headers: { 'idempotency-key': options.key } }),
  });

describe('POST /rollouts', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await seedRolloutWorld(api);
  });
  beforeEach(() => {
    api.integrations.reset();
    api.clock.now = new Date('2026-11-23T10:00:00Z');
  });

  it('starts a catalog strategy by name: 201, Location, the pending view, the workflow and the audit event', async () => {
    const res = await start(api, startBody('standard'));
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    expect(id).toMatch(/^ro-20261123-[0-9a-f]{8}$/);
    expect(res.headers.location).toBe(`/rollouts/${id}`);
    expect(res.headers.etag).toBe('"0"');
    const pushed = await api.store.bundles.getBundle('checkout-timeouts', '3');
    expect(res.json).toEqual({
      id,
      bundle: 'checkout-timeouts@3',
      bundleHash: pushed?.hash,
      strategy: 'standard',
      status: 'pending',
      reason: null,
      startedAt: '2026-11-23T10:00:00.000Z',
      startedBy: 'olivia',
      endedAt: null,
      currentPhase: null,
      health: null,
      consecutiveUnknown: 0,
      promoted: false,
      freeze: null,
      phases: [
        { name: 'dev', environments: ['dev'], approval: false },
        { name: 'staging', environments: ['staging'], approval: true },
        { name: 'prod-canary', environments: ['prod-eu'], approval: false },
        { name: 'prod', environments: ['prod-us'], approval: false },
      ].map((p) => ({ ...p, status: 'pending', deployedAt: null, bakedUntil: null })),
      events: [
        {
          seq: 0,
          at: '2026-11-23T10:00:00.000Z',
          type: 'RolloutStarted',
          phase: null,
          environment: null,
          detail: expect.any(String),
        },
      ],
      anomalies: [],
      warnings: [],
    });
    expect(api.integrations.started).toEqual([
      { workflow: 'progressive-rollout', name: id, input: rolloutWorkflowInput(id) },
    ]);
    const [started] = await api.store.rollouts.events(id);
    expect(res.json.events[0].detail).toBe(describeEvent(started!));
    const heads = await api.store.environments.listHeads();
    expect(started).toMatchObject({
      type: 'RolloutStarted',
      environmentsBefore: Object.fromEntries(heads.map((h) => [h.environment, h.snapshot])),
      strategy: { ...standard, approvalTimeout: 'PT24H', rollback: { automatic: true } },
    });
    const audit = await api.store.audit.listEvents({ chain: ROLLOUT_CHAIN });
    expect(audit.at(-1)).toMatchObject({
      type: 'RolloutStarted',
      actor: 'olivia',
      subject: id,
      detail: { rolloutId: id, bundle: 'checkout-timeouts@3', strategy: 'standard', by: 'olivia' },
    });
  });

  it('starts an inline strategy, validated against the catalog', async () => {
    const inline = { ...standard, name: 'two-step', phases: standard.phases.slice(0, 2) };
    const res = await start(api, startBody(inline, 'identity-session@2'));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ bundle: 'identity-session@2', strategy: 'two-step', warnings: [] });
    expect(res.json.phases.map((p: { name: string }) => p.name)).toEqual(['dev', 'staging']);
  });

  it('returns warnings (phases out of promotion order) in the 201 body', async () => {
    const inline = {
      name: 'backwards',
      phases: [
        { name: 'eu', environments: ['prod-eu'], bake: 'PT5M' },
        { name: 'dev', environments: ['dev'], bake: 'PT5M' },
      ],
      health: standard.health,
    };
    const res = await start(api, startBody(inline));
    expect(res.status).toBe(201);
    expect(res.json.warnings).toEqual([
      expect.objectContaining({
        code: 'strategy.out-of-order',
        path: 'phases[1].environments[0]',
        severity: 'warning',
      }),
    ]);
  });

  it('refuses an invalid inline strategy with 422 listing every problem at once, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await start(
      api,
      startBody({
        name: 'broken',
        phases: [
          { name: 'one', environments: ['prod-eu'], bake: 'PT30S' },
          { name: 'two', environments: ['prod-eu', 'qa'], bake: 'PT5M' },
          { name: 'three', environments: ['dev'], bake: 'PT5M' },
        ],
        health: { alarms: ['{env}-5xx'], interval: 'PT1M' },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.code).toBe('validation-failed');
    const codes = (res.json.errors as { code: string; path: string }[]).map((p) => `${p.code} ${p.path}`);
    expect(codes.sort()).toEqual([
      'strategy.bake-shorter-than-interval phases[0].bake',
      'strategy.repeated-environment phases[1].environments[0]',
      'strategy.unknown-environment phases[1].environments[1]',
    ]);
    expect(res.json.warnings).toEqual([expect.objectContaining({ code: 'strategy.out-of-order' })]);
    expect(res.json.problems).toHaveLength(4);
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.started).toEqual([]);
  });

  it.each([
    [
      'a bundle never pushed',
      startBody('standard', 'checkout-timeouts@99'),
      /checkout-timeouts@99 has not been pushed/,
    ],
    ['an unknown strategy name', startBody('canary'), /no strategy canary; it has standard, prod-first/],
  ])('answers 404 for %s, writing nothing', async (_case, body, detail) => {
    const before = await api.table.dump();
    const res = await start(api, body);
    expect(res.status).toBe(404);
    expect(res.json.detail).toMatch(detail);
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses a bundle that cannot be deployed to every environment it would reach, naming each, writing nothing', async () => {
    const report = (version: string) =>
      api.call('PUT', '/environments/prod-us/services/checkout-api', { as: 'priya', body: { version } });
    expect((await report('1.0.0')).status).toBe(200);
    const before = await api.table.dump();
    const res = await start(api, startBody('standard'));
    const after = await api.table.dump();
    expect((await report('2.4.0')).status).toBe(200);
    expect(res.status).toBe(422);
    expect(res.json.detail).toBe('checkout-timeouts@3 cannot be deployed to prod-us.');
    expect(res.json.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/^prod-us: /) })]),
    );
    expect(api.integrations.started).toEqual([]);
    expect(after).toEqual(before);
  });

  it('lists the known strategies with an unknown name', async () => {
    const res = await start(api, startBody('canary'));
    expect(res.json).toMatchObject({ strategy: 'canary', known: ['standard', 'prod-first'] });
  });

  it.each(['priya', 'vera'])('refuses %s (not a release manager) with 403', async (principal) => {
    const before = await api.table.dump();
    const res = await start(api, startBody(), { as: principal });
    expect(res.status).toBe(403);
    expect(res.json.detail).toMatch(/may not rollout:start; it needs release-manager/);
    expect(await api.table.dump()).toEqual(before);
  });

  describe('during a freeze of prod', () => {
    beforeAll(async () => {
      expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
    });

    it('refuses a rollout whose first phase is frozen with 423, exactly like a frozen deploy', async () => {
      api.clock.now = new Date('2026-12-21T10:00:00Z');
      const rollouts = (await api.store.rollouts.list()).length;
      const res = await start(api, startBody('prod-first'));
      expect(res.status).toBe(423);
      expect(res.json).toMatchObject({
        code: 'frozen',
        environment: 'prod-eu',
        kind: 'rollout-phase',
        level: 'hard',
        windows: [expect.objectContaining({ id: 'year-end', name: 'Year-end freeze', level: 'hard' })],
        howToOverride: expect.stringContaining(
          'convoy override request --env prod-eu --bundle checkout-timeouts@3',
        ),
      });
      expect(res.json.detail).toMatch(/prod-eu is frozen \(hard\) for rollout-phase by Year-end freeze/);
      expect(await api.store.rollouts.list()).toHaveLength(rollouts);
      expect(api.integrations.started).toEqual([]);
    });

    it('starts a rollout whose later phases are frozen (the workflow applies their inFlight policy)', async () => {
      api.clock.now = new Date('2026-12-21T10:00:00Z');
      const res = await start(api, startBody('standard'));
      expect(res.status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the same rollout and starts the same workflow name, never a second rollout', async () => {
      const first = await start(api, startBody(), { key: 'ci-run-17' });
      api.clock.now = new Date('2026-11-23T10:05:00Z');
      const again = await start(api, startBody(), { key: 'ci-run-17' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.json.id).toBe(first.json.id);
      expect(again.json.startedAt).toBe('2026-11-23T10:00:00.000Z');
      expect(first.json.id).toMatch(/^ro-[0-9a-f]{16}$/);
      expect(api.integrations.started.map((s) => s.name)).toEqual([first.json.id, first.json.id]);
      const ids = (await api.store.rollouts.list()).map((r) => r.rolloutId);
      expect(ids.filter((id) => id === first.json.id)).toHaveLength(1);
      const audits = await api.store.audit.listEvents({ chain: ROLLOUT_CHAIN });
      expect(audits.filter((e) => e.subject === first.json.id)).toHaveLength(1);
    });

    it('starts the workflow on a retry after the first start failed (the rollout stayed pending)', async () => {
      const before = new Set((await api.store.rollouts.list()).map((r) => r.rolloutId));
      api.integrations.failing.add('workflows');
      const failed = await start(api, startBody(), { key: 'ci-run-18' });
      expect(failed.status).toBe(503);
      expect(failed.json.detail).toBe('A dependency is temporarily unavailable; retry the request.');
      const created = (await api.store.rollouts.list()).filter((r) => !before.has(r.rolloutId));
      expect(created).toHaveLength(1);
      const pending = created[0]?.rolloutId as string;
      expect((await api.call('GET', `/rollouts/${pending}`)).json.status).toBe('pending');
      api.integrations.failing.clear();
      const retried = await start(api, startBody(), { key: 'ci-run-18' });
      expect(retried.status).toBe(201);
      expect(retried.json.id).toBe(pending);
      expect(api.integrations.started).toEqual([
        { workflow: 'progressive-rollout', name: pending, input: rolloutWorkflowInput(pending) },
      ]);
    });

    it('does not start the workflow again once the rollout runs', async () => {
      const first = await start(api, startBody(), { key: 'ci-run-19' });
      await api.store.rollouts.append(first.json.id, [
        { type: 'PhaseStarted', phase: 'dev', seq: 1, at: '2026-11-23T10:00:01.000Z' },
      ]);
      api.integrations.reset();
      const again = await start(api, startBody(), { key: 'ci-run-19' });
      expect(again.json).toMatchObject({ id: first.json.id, status: 'running', currentPhase: 'dev' });
      expect(api.integrations.started).toEqual([]);
    });

    it('refuses a key reused for another bundle or strategy with 409', async () => {
      const first = await start(api, startBody(), { key: 'ci-run-20' });
      for (const body of [startBody('standard', 'identity-session@2'), startBody('prod-first')]) {
        const res = await start(api, body, { key: 'ci-run-20' });
        expect(res.status).toBe(409);
        expect(res.json.detail).toMatch(
          new RegExp(
            `Rollout ${first.json.id} was started by this Idempotency-Key for checkout-timeouts@3 with strategy standard`,
          ),
        );
      }
    });

    it('scopes keys to the principal', async () => {
      const mine = await start(api, startBody(), { key: 'shared-key' });
      const theirs = await start(api, startBody(), { key: 'shared-key', as: 'rita' });
      expect(theirs.status).toBe(201);
      expect(theirs.json.id).not.toBe(mine.json.id);
    });

    it('replays the rollout when a concurrent request with the key created it first', async () => {
      const first = await start(api, startBody(), { key: 'ci-run-21' });
      api.clock.now = new Date('2026-11-23T10:00:00.500Z');
      const deps = api.deps;
      // This request read "no rollout yet" before the first one's create landed.
      const rollouts = { ...deps.store.rollouts, get: () => Promise.resolve(undefined) };
      rollouts.create = deps.store.rollouts.create.bind(deps.store.rollouts);
      rollouts.events = deps.store.rollouts.events.bind(deps.store.rollouts);
      const racing = await startRollout(
        { ...deps, store: { ...deps.store, rollouts } },
        {
          bundle: 'checkout-timeouts@3',
          strategy: 'standard',
          principal: 'olivia',
          idempotencyKey: 'ci-run-21',
        },
      );
      expect(racing.rollout).toMatchObject({ id: first.json.id, startedAt: '2026-11-23T10:00:00.000Z' });
    });
  });

  it("records '' as the snapshot before of an environment without a HEAD", async () => {
    const deps = api.deps;
    const environments = { ...deps.store.environments, getHead: () => Promise.resolve(undefined) };
    const { rollout } = await startRollout(
      { ...deps, store: { ...deps.store, environments } },
      { bundle: 'checkout-timeouts@3', strategy: 'prod-first', principal: 'olivia' },
    );
    const [started] = await api.store.rollouts.events(rollout.id);
    expect(started).toMatchObject({ environmentsBefore: { 'prod-eu': '', 'prod-us': '' } });
  });

  it('uses an id the caller chose, and refuses it a second time with 409', async () => {
    const res = await start(api, { ...startBody(), id: 'release-2026-12' });
    expect(res.status).toBe(201);
    expect(res.json.id).toBe('release-2026-12');
    api.clock.now = new Date('2026-11-23T10:00:01Z');
    const again = await start(api, { ...startBody(), id: 'release-2026-12' });
    expect(again.status).toBe(409);
    expect(again.json.detail).toBe('Rollout release-2026-12 already exists.');
  });

  describe('bad input: 4xx naming the field and the rule, table unchanged', () => {
    const cases: [
      string,
      { raw?: string; body?: unknown; headers?: Record<string, string> },
      number,
      RegExp,
    ][] = [
      [
        'malformed JSON',
        { raw: '{"bundle": ', headers: { 'content-type': 'application/json' } },
        400,
        /not well-formed/,
      ],
      ['an empty body', { raw: '' }, 400, /body is empty/],
      [
        'an unknown field',
        { body: { ...startBody(), force: true } },
        422,
        /body unrecognized key: "force"|force/,
      ],
      ['a missing strategy', { body: { bundle: 'checkout-timeouts@3' } }, 422, /body\.strategy/],
      [
        'a strategy that is a number',
        { body: startBody(42) },
        422,
        /body\.strategy must be the name of a catalog strategy or a strategy object/,
      ],
      [
        'a bundle without version',
        { body: startBody('standard', 'checkout-timeouts') },
        422,
        /body\.bundle must be name@version/,
      ],
      [
        'a hostile id (../)',
        { body: { ...startBody(), id: '../etc' } },
        422,
        /body\.id must be 1-63 lowercase/,
      ],
      [
        'a hostile id (NUL)',
        { body: { ...startBody(), id: 'ro-\u0000' } },
        422,
        /body\.id must be 1-63 lowercase/,
      ],
      [
        'a 10k-character id',
        { body: { ...startBody(), id: 'a'.repeat(10_000) } },
        422,
        /body\.id must be 1-63 lowercase/,
      ],
      [
        'a hostile Idempotency-Key',
        { body: startBody(), headers: { 'idempotency-key': '../\u0001' } },
        400,
        /header\.idempotency-key must be 1-128/,
      ],
      ['an oversize body', { raw: `{"bundle":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 413, /limit is/],
    ];
    it.each(cases)('%s', async (_case, options, status, detail) => {
      const before = await api.table.dump();
      const res = await api.call('POST', '/rollouts', options);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json.detail).toMatch(detail);
      expect(await api.table.dump()).toEqual(before);
    });

    it('refuses a programmatic start without a principal', async () => {
      await expect(
        startRollout(api.deps, { bundle: 'checkout-timeouts@3', strategy: 'standard', principal: '' }),
      ).rejects.toMatchObject({ code: 'validation-failed' });
    });
  });
});

describe('POST /rollouts without a catalog', () => {
  it('answers 404 asking for a catalog', async () => {
    const api = await createTestApi();
    const res = await api.call('POST', '/rollouts', { body: startBody(prodFirst) });
    expect(res.status).toBe(404);
    expect(res.json.detail).toMatch(/No catalog has been applied yet/);
  });
});
