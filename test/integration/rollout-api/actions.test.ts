import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { performRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import { ROLLOUT_CHAIN } from '#app/rollouts/start-rollout.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import type { RolloutStore } from '#store/ports.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { advance, deployed, seedRolloutWorld, startBody, toApproval } from './support.ts';

type Draft = Parameters<typeof advance>[2][number];

const healthy: Draft = {
  type: 'HealthChecked',
  phase: 'dev',
  verdict: 'healthy',
  alarms: [],
  consecutiveUnknown: 0,
};

/** Rollouts of the standard strategy brought to a state by the events the workflow would append. */
const states: Record<string, Draft[]> = {
  pending: [],
  'running (baking)': deployed('dev', 'dev'),
  'running (deploying)': [{ type: 'PhaseStarted', phase: 'dev' }],
  'awaiting-approval': toApproval,
  paused: [...deployed('dev', 'dev'), { type: 'Paused', reason: 'monitoring unavailable' }],
  'rolling-back': [...deployed('dev', 'dev'), { type: 'RollbackStarted', reason: 'dev-5xx-rate in ALARM' }],
  failed: [...deployed('dev', 'dev'), { type: 'Failed', reason: 'deploy failed' }],
  'rolled-back': [
    ...deployed('dev', 'dev'),
    { type: 'RollbackStarted', reason: 'dev-5xx-rate in ALARM' },
    { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-1' },
    { type: 'RolledBack' },
  ],
};
type StateName = keyof typeof states;

const act = (api: TestApi, id: string, action: string, options: { as?: string; body?: unknown } = {}) =>
  api.call('POST', `/rollouts/${id}/${action}`, options);

describe('POST /rollouts/{id}/{action}', () => {
  let api: TestApi;
  let n = 0;
  /** A fresh rollout in `state`, its workflow waiting on a task token unless told otherwise. */
  const rolloutIn = async (state: StateName, token = true): Promise<string> => {
    n += 1;
    const res = await api.call('POST', '/rollouts', { body: { ...startBody(), id: `ro-test-${n}` } });
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    if (states[state]?.length) await advance(api, id, states[state]);
    if (token) await api.store.rollouts.setTaskToken(id, `token-${id}`);
    api.integrations.reset();
    return id;
  };

  beforeAll(async () => {
    api = await createTestApi();
    await seedRolloutWorld(api);
  });
  beforeEach(() => {
    api.integrations.reset();
    Object.assign(api.deps, { workflows: api.integrations.workflows });
    api.clock.now = new Date('2026-11-23T10:00:00Z');
  });

  const allowed: [string, StateName, { reason?: string }, string, string, string | null][] = [
    // action, from, body, status after, event appended, token output (null: the token is not sent)
    ['pause', 'pending', {}, 'paused', 'Paused', null],
    ['pause', 'running (baking)', { reason: 'watching a spike' }, 'paused', 'Paused', null],
    ['pause', 'awaiting-approval', {}, 'paused', 'Paused', null],
    ['resume', 'paused', {}, 'running', 'Resumed', 'resume'],
    ['abort', 'pending', { reason: 'wrong bundle' }, 'rolling-back', 'AbortRequested', 'abort'],
    ['abort', 'running (baking)', { reason: 'wrong bundle' }, 'rolling-back', 'AbortRequested', null],
    ['abort', 'paused', { reason: 'wrong bundle' }, 'rolling-back', 'AbortRequested', 'abort'],
    ['abort', 'awaiting-approval', { reason: 'wrong bundle' }, 'rolling-back', 'AbortRequested', null],
    ['promote', 'running (baking)', {}, 'running', 'Promoted', null],
    ['approve', 'awaiting-approval', { reason: 'staging looks fine' }, 'running', 'ApprovalGranted', null],
    [
      'reject',
      'awaiting-approval',
      { reason: 'error budget spent' },
      'rolling-back',
      'ApprovalRejected',
      null,
    ],
  ];

  it.each(allowed)('%s from %s → 200, %s', async (action, from, body, status, type, output) => {
    const id = await rolloutIn(from);
    const res = await act(api, id, action, { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, status });
    // A baking rollout's workflow, and one at its approval gate (the health loop keeps running there),
    // may be skipping Decide: the action hands it over to a fresh execution instead of answering a wait.
    const kicked = from === 'running (baking)' || from === 'awaiting-approval';
    const phaseIndex = from === 'awaiting-approval' ? 1 : 0;
    const appended = res.json.events.slice(kicked ? -2 : -1);
    expect(appended).toMatchObject([
      { type, at: '2026-11-23T10:00:00.000Z' },
      ...(kicked ? [{ type: 'ContinuedAsNew', detail: `continued as execution ${id}--2` }] : []),
    ]);
    expect(res.headers.etag).toBe(`"${appended.at(-1).seq}"`);
    expect((await api.call('GET', `/rollouts/${id}`)).json).toEqual(res.json);
    expect(api.integrations.resumed).toEqual(
      output === null ? [] : [{ token: `token-${id}`, output: { action: output } }],
    );
    expect(api.integrations.started).toEqual(
      kicked
        ? [
            {
              workflow: 'progressive-rollout',
              name: `${id}--2`,
              input: { rolloutId: id, phaseIndex, loop: { checks: 0, limit: 1000 } },
            },
          ]
        : [],
    );
    expect(api.integrations.stopped).toEqual(
      kicked
        ? [{ workflow: 'progressive-rollout', name: id, cause: expect.stringContaining(`${id}--2`) }]
        : [],
    );
    const audit = (await api.store.audit.listEvents({ chain: ROLLOUT_CHAIN })).at(-1);
    const past = { pause: 'Paused', resume: 'Resumed', abort: 'Aborted', promote: 'Promoted' } as Record<
      string,
      string
    >;
    expect(audit).toMatchObject({
      type: `Rollout${past[action] ?? (action === 'approve' ? 'Approved' : 'Rejected')}`,
      actor: 'olivia',
      subject: id,
      detail: { rolloutId: id, by: 'olivia', ...body },
    });
  });

  it('records who approved which phase, and why a rejection was made', async () => {
    const approved = await rolloutIn('awaiting-approval');
    const res = await act(api, approved, 'approve');
    const granted = (await api.store.rollouts.events(approved)).find((e) => e.type === 'ApprovalGranted');
    expect(granted).toMatchObject({ type: 'ApprovalGranted', phase: 'staging', by: 'olivia' });
    expect(res.json.events.at(-2)).toMatchObject({ phase: 'staging', detail: describeEvent(granted!) });
    const rejected = await rolloutIn('awaiting-approval');
    const no = await act(api, rejected, 'reject', { body: { reason: '  error budget spent  ' } });
    const refusal = (await api.store.rollouts.events(rejected)).find((e) => e.type === 'ApprovalRejected');
    expect(refusal).toMatchObject({
      type: 'ApprovalRejected',
      phase: 'staging',
      by: 'olivia',
      reason: 'error budget spent',
    });
    expect(no.json.events.at(-2)).toMatchObject({ phase: 'staging', detail: describeEvent(refusal!) });
    expect(no.json.reason).toContain('error budget spent');
  });

  const refused: [string, StateName, string][] = [
    ['pause', 'paused', 'pause needs a pending, running or awaiting-approval rollout'],
    ['pause', 'rolling-back', 'pause needs a pending, running or awaiting-approval rollout'],
    ['pause', 'failed', 'pause needs a pending, running or awaiting-approval rollout'],
    ['resume', 'running (baking)', 'resume needs a paused rollout'],
    ['resume', 'pending', 'resume needs a paused rollout'],
    ['abort', 'rolling-back', 'abort needs a rollout that has not ended and is not rolling back already'],
    ['abort', 'failed', 'abort needs a rollout that has not ended and is not rolling back already'],
    ['abort', 'rolled-back', 'abort needs a rollout that has not ended and is not rolling back already'],
    ['promote', 'running (deploying)', 'promote needs a running rollout whose current phase is baking'],
    ['promote', 'awaiting-approval', 'promote needs a running rollout whose current phase is baking'],
    ['promote', 'paused', 'promote needs a running rollout whose current phase is baking'],
    ['approve', 'running (baking)', 'approve needs a rollout awaiting approval'],
    ['approve', 'paused', 'approve needs a rollout awaiting approval'],
    ['reject', 'pending', 'reject needs a rollout awaiting approval'],
  ];

  it.each(refused)('%s from %s → 409 naming the status and what is needed', async (action, from, needs) => {
    const id = await rolloutIn(from);
    const before = await api.table.dump();
    const res = await act(api, id, action, { body: { reason: 'because' } });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('conflict');
    const status = from.replace(/ \(.*\)$/, '');
    expect(res.json).toMatchObject({ rolloutId: id, action, rolloutStatus: status });
    expect(res.json.detail).toContain(`Cannot ${action} rollout ${id}: it is ${status}`);
    expect(res.json.detail).toContain(needs);
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.resumed).toEqual([]);
  });

  it('names the current phase in a refusal', async () => {
    const id = await rolloutIn('running (deploying)');
    const res = await act(api, id, 'promote');
    expect(res.json.detail).toBe(
      `Cannot promote rollout ${id}: it is running (phase dev is deploying); promote needs a running rollout whose current phase is baking.`,
    );
    expect(res.json.phaseStatus).toBe('deploying');
  });

  it('sends no token when the workflow waits on none', async () => {
    const id = await rolloutIn('paused', false);
    const res = await act(api, id, 'resume');
    expect(res.status).toBe(200);
    expect(api.integrations.resumed).toEqual([]);
  });

  it('ignores a token that no longer waits, and keeps the event when the engine fails', async () => {
    const stale = await rolloutIn('awaiting-approval');
    Object.assign(api.deps, {
      workflows: {
        ...api.integrations.workflows,
        sendTaskSuccess: () =>
          Promise.reject(new ConvoyError('conflict', 'stale', { context: { staleTaskToken: true } })),
      },
    });
    const res = await act(api, stale, 'approve');
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('running');
    Object.assign(api.deps, { workflows: api.integrations.workflows });
    const down = await rolloutIn('paused');
    api.integrations.failing.add('workflows');
    const resumed = await act(api, down, 'resume');
    expect(resumed.status).toBe(200);
    expect((await api.store.rollouts.events(down)).at(-1)?.type).toBe('Resumed');
  });

  it.each(['priya', 'vera', 'mallory'])('refuses %s (not a release manager) with 403', async (principal) => {
    const id = await rolloutIn('awaiting-approval');
    const before = await api.table.dump();
    const res = await act(api, id, 'approve', { as: principal });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
    expect(await api.table.dump()).toEqual(before);
  });

  it('answers 404 for an unknown rollout', async () => {
    const res = await act(api, 'ro-nowhere', 'pause');
    expect(res.status).toBe(404);
    expect(res.json.detail).toBe('Rollout ro-nowhere does not exist.');
  });

  describe('bad input: 400 naming the field and the rule, table unchanged', () => {
    const cases: [
      string,
      string,
      string,
      { raw?: string; body?: unknown; headers?: Record<string, string> },
      RegExp,
    ][] = [
      ['an unknown action', 'ro-test-1', 'explode', {}, /path\.action/],
      ['a hostile id (../)', '..%2Fetc', 'pause', {}, /path\.id must be 1-63 lowercase/],
      ['a hostile id (NUL)', 'ro-%00', 'pause', {}, /path\.id must be 1-63 lowercase/],
      ['a 10k-character id', 'a'.repeat(10_000), 'pause', {}, /path\.id must be 1-63 lowercase/],
      ['an unknown field', 'ro-test-1', 'pause', { body: { reason: 'x', force: true } }, /force/],
      ['abort without a reason', 'ro-test-1', 'abort', { body: {} }, /body\.reason/],
      ['reject with no body', 'ro-test-1', 'reject', { raw: '' }, /body is empty/],
      ['a blank reason', 'ro-test-1', 'reject', { body: { reason: '   ' } }, /body\.reason/],
      ['an oversize reason', 'ro-test-1', 'abort', { body: { reason: 'x'.repeat(2001) } }, /body\.reason/],
      ['a reason that is not text', 'ro-test-1', 'pause', { body: { reason: 42 } }, /body\.reason/],
      ['a body that is an array', 'ro-test-1', 'pause', { body: [] }, /body/],
      [
        'malformed JSON',
        'ro-test-1',
        'pause',
        { raw: '{"reason":', headers: { 'content-type': 'application/json' } },
        /not well-formed/,
      ],
    ];
    it.each(cases)('%s', async (_case, id, action, options, detail) => {
      await rolloutIn('running (baking)');
      const before = await api.table.dump();
      const res = await act(api, id, action, options);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json.detail).toMatch(detail);
      expect(await api.table.dump()).toEqual(before);
    });

    it('refuses a programmatic abort without a reason', async () => {
      const id = await rolloutIn('running (baking)');
      await expect(
        performRolloutAction(api.deps, { rolloutId: id, action: 'abort', principal: 'olivia' }),
      ).rejects.toMatchObject({
        code: 'validation-failed',
        problems: [expect.objectContaining({ path: 'body.reason' })],
      });
    });
  });

  describe('a lost race', () => {
    /** Deps whose reads of `id`'s events let the workflow append `drafts` right after, `times` times. */
    const racing = (drafts: (i: number) => Draft[], times: number) => {
      const deps = api.deps;
      const real = deps.store.rollouts;
      let reads = 0;
      const rollouts: RolloutStore = {
        create: real.create.bind(real),
        append: real.append.bind(real),
        get: real.get.bind(real),
        list: real.list.bind(real),
        setTaskToken: real.setTaskToken.bind(real),
        events: async (id) => {
          const events = await real.events(id);
          if (reads < times) await advance(api, id, drafts(reads));
          reads += 1;
          return events;
        },
      };
      return { ...deps, store: { ...deps.store, rollouts } };
    };
    const check = (i: number): Draft[] => [{ ...healthy, consecutiveUnknown: i }];

    it('re-reads and appends after the event that won', async () => {
      const id = await rolloutIn('running (baking)');
      const view = await performRolloutAction(racing(check, 2), {
        rolloutId: id,
        action: 'promote',
        principal: 'olivia',
      });
      expect(view.events.map((e) => e.type).slice(-4)).toEqual([
        'HealthChecked',
        'HealthChecked',
        'Promoted',
        'ContinuedAsNew',
      ]);
      expect(view.promoted).toBe(true);
    });

    it('re-checks the action against the new state', async () => {
      const id = await rolloutIn('running (baking)');
      const paused = (): Draft[] => [{ type: 'Paused', reason: 'monitoring unavailable' }];
      await expect(
        performRolloutAction(racing(paused, 1), { rolloutId: id, action: 'promote', principal: 'olivia' }),
      ).rejects.toMatchObject({ code: 'conflict', context: { rolloutStatus: 'paused' } });
    });

    it('gives up after three lost races with a conflict to retry', async () => {
      const id = await rolloutIn('running (baking)');
      await expect(
        performRolloutAction(racing(check, 3), { rolloutId: id, action: 'promote', principal: 'olivia' }),
      ).rejects.toMatchObject({ code: 'conflict', context: { rolloutId: id, lastSeq: 5 } });
    });
  });

  it('appends after an event the reduction ignored', async () => {
    const id = await rolloutIn('running (baking)');
    await advance(api, id, [{ type: 'ApprovalGranted', phase: 'dev', by: 'olivia' }]);
    const res = await act(api, id, 'pause');
    expect(res.status).toBe(200);
    expect(res.json.anomalies).toEqual([expect.objectContaining({ seq: 3, type: 'ApprovalGranted' })]);
    // 4: Paused; 5: the hand-over to a fresh execution.
    expect(res.json.events.map((e: { seq: number }) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(res.json.status).toBe('paused');
  });
});
