import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '#app/deps.ts';
import { WorkflowTaskError, workflowErrorName, workflowHandler } from '#functions/shared/workflow-handler.ts';
import { expiryOf } from '#domain/overrides/override-expiry.ts';
import { make } from '#functions/workflow/override-decision.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Override } from '#domain/overrides/override.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { testDeps } from '../../support/deps.ts';
import { createTestTable, type TestTable } from '../../support/dynamo.ts';
import { recordingIntegrations, type RecordingIntegrations } from '../../support/integrations.ts';
import { z } from 'zod';

/** The override-decision task on DynamoDB Local, its edge ports recorded (no workflow engine here). */
let table: TestTable;
let store: ConvoyStore;
let edges: RecordingIntegrations;
const clock = { now: new Date('2026-11-23T10:00:00.000Z') };
const context = {} as Context;
let deps: Deps;
const handler = (payload: unknown, ctx: Context) => make(deps)(payload, ctx);

const override = (id: string, patch: Partial<Override> = {}): Override => ({
  id,
  status: 'pending',
  environment: 'prod-eu',
  bundle: 'checkout-timeouts@3',
  reason: 'Checkout timeouts break the payment provider migration',
  ticket: 'INC-4711',
  requestedDuration: 'PT2H',
  reusable: false,
  requester: 'priya',
  requestedAt: '2026-11-23T09:00:00.000Z',
  decideBy: '2026-11-24T09:00:00.000Z',
  level: 'hard',
  namespaces: ['payments'],
  approverRoles: ['team:payments', 'release-manager'],
  approvalsRequired: 2,
  approvals: [],
  uses: [],
  ...patch,
});

const create = (value: Override) =>
  store.overrides.create(value, { principal: 'priya', at: value.requestedAt });
const failure = async (promise: Promise<unknown>): Promise<Error> =>
  (await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )) as Error;

beforeAll(async () => {
  table = await createTestTable('override-decision');
  store = createConvoyStore({ doc: table.doc, tableName: table.tableName });
  edges = recordingIntegrations();
});
beforeEach(() => {
  edges.reset();
  const { events, workflows, schedules } = edges;
  deps = testDeps({ store, now: () => clock.now, events, workflows, schedules });
});
afterAll(async () => {
  await table.drop();
});

describe('override-decision task', () => {
  it('stores the token of a pending request and leaves the wait to the API', async () => {
    await create(override('ovr-await'));
    expect(await handler({ action: 'await', overrideId: 'ovr-await', taskToken: 'T1' }, context)).toEqual({
      overrideId: 'ovr-await',
      status: 'pending',
      expiresAt: null,
    });
    expect((await store.overrides.get('ovr-await'))?.taskToken).toBe('T1');
    expect(edges.resumed).toEqual([]);
  });

  it('resumes its own wait when the request was decided first, and tolerates losing that race to the API', async () => {
    await create(override('ovr-decided'));
    const stored = await store.overrides.get('ovr-decided');
    const approved = override('ovr-decided', {
      status: 'approved',
      approvedAt: '2026-11-23T09:30:00.000Z',
      expiresAt: '2026-11-23T11:30:00.000Z',
    });
    await store.overrides.update(approved, stored!.revision, {
      type: 'OverrideApproved',
      at: '2026-11-23T09:30:00.000Z',
      actor: 'olivia',
      subject: 'ovr-decided',
      detail: {},
    });
    await handler({ action: 'await', overrideId: 'ovr-decided', taskToken: 'T2' }, context);
    expect(edges.resumed).toEqual([
      {
        token: 'T2',
        output: { overrideId: 'ovr-decided', status: 'approved', expiresAt: '2026-11-23T11:30:00.000Z' },
      },
    ]);

    // The API resumed the same token first: fine. Any other failure is the task's.
    const stale = new ConvoyError('conflict', 'stale', { context: { staleTaskToken: true } });
    deps.workflows = { ...edges.workflows, sendTaskSuccess: () => Promise.reject(stale) };
    await expect(
      handler({ action: 'await', overrideId: 'ovr-decided', taskToken: 'T3' }, context),
    ).resolves.toMatchObject({
      status: 'approved',
    });
    deps.workflows = {
      ...edges.workflows,
      sendTaskSuccess: () => Promise.reject(new ConvoyError('unavailable', 'down')),
    };
    const error = await failure(
      handler({ action: 'await', overrideId: 'ovr-decided', taskToken: 'T4' }, context),
    );
    expect(error).toMatchObject({ name: 'Convoy.Unavailable', message: 'down' });
  });

  it('reports an unknown override as Convoy.NotFound', async () => {
    expect(
      await failure(handler({ action: 'await', overrideId: 'ovr-none', taskToken: 'T' }, context)),
    ).toMatchObject({
      name: 'Convoy.NotFound',
    });
    expect(
      await failure(
        handler({ action: 'expire', overrideId: 'ovr-none', reason: 'decision-timeout' }, context),
      ),
    ).toMatchObject({
      name: 'Convoy.NotFound',
    });
  });

  it('expires only what the reason may end, with an audit event', async () => {
    await create(override('ovr-exp'));
    // A decision-timeout leaves an approval that won the race alone; time-box-ended leaves a pending one.
    expect(
      await handler({ action: 'expire', overrideId: 'ovr-exp', reason: 'time-box-ended' }, context),
    ).toEqual({
      overrideId: 'ovr-exp',
      status: 'pending',
      expiresAt: null,
    });
    expect(
      await handler({ action: 'expire', overrideId: 'ovr-exp', reason: 'decision-timeout' }, context),
    ).toEqual({
      overrideId: 'ovr-exp',
      status: 'expired',
      expiresAt: null,
    });
    expect((await store.overrides.get('ovr-exp'))?.override).toMatchObject({
      status: 'expired',
      expiredAt: '2026-11-23T10:00:00.000Z',
    });
    const events = (await store.audit.listEvents({ chain: '_freeze' })).filter(
      (e) => e.subject === 'ovr-exp',
    );
    expect(events.at(-1)).toMatchObject({
      type: 'OverrideExpired',
      actor: 'workflow:override-approval',
      detail: {
        reason: 'decision-timeout',
        previousStatus: 'pending',
        expiredAt: '2026-11-23T10:00:00.000Z',
      },
    });
  });

  it('dates a late expiry at the deadline the domain knows, and an early one (the workflow clock won) now', () => {
    const approved = override('x', {
      status: 'approved',
      approvedAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2026-11-23T09:00:00.000Z',
    });
    expect(expiryOf(approved, 'time-box-ended', clock.now)?.override).toMatchObject({
      status: 'expired',
      expiredAt: '2026-11-23T09:00:00.000Z',
    });
    expect(expiryOf(override('y'), 'workflow-failed', clock.now)?.override).toMatchObject({
      status: 'expired',
      expiredAt: '2026-11-23T10:00:00.000Z',
    });
    expect(expiryOf(override('z', { status: 'rejected' }), 'workflow-failed', clock.now)).toBeUndefined();
  });

  it('re-reads and retries an expiry that lost a race, then gives up as Convoy.Conflict', async () => {
    await create(override('ovr-race'));
    const update = store.overrides.update.bind(store.overrides);
    let lost = 0;
    store.overrides.update = (next, revision, audit) => {
      lost += 1;
      return lost < 3 ? Promise.reject(new ConvoyError('conflict', 'lost')) : update(next, revision, audit);
    };
    try {
      await expect(
        handler({ action: 'expire', overrideId: 'ovr-race', reason: 'workflow-failed' }, context),
      ).resolves.toMatchObject({
        status: 'expired',
      });
      await create(override('ovr-race-2'));
      lost = -10;
      expect(
        await failure(
          handler({ action: 'expire', overrideId: 'ovr-race-2', reason: 'workflow-failed' }, context),
        ),
      ).toMatchObject({
        name: 'Convoy.Conflict',
      });
    } finally {
      store.overrides.update = update;
    }
  });

  it('refuses a payload the definition would never send, as Convoy.BadRequest', async () => {
    expect(await failure(handler({ action: 'await', overrideId: 'ovr-x' }, context))).toMatchObject({
      name: 'Convoy.BadRequest',
      message: expect.stringContaining('taskToken'),
    });
    expect(await failure(handler(null, context))).toMatchObject({ name: 'Convoy.BadRequest' });
  });
});

describe('workflow task errors', () => {
  it('names Convoy error codes for Retry and Catch, and hides unexpected failures', async () => {
    expect(workflowErrorName('not-found')).toBe('Convoy.NotFound');
    expect(workflowErrorName('unavailable')).toBe('Convoy.Unavailable');
    const boom = workflowHandler(z.object({}), () => Promise.reject(new TypeError('secret detail')))(deps);
    expect(await failure(boom({}, context))).toMatchObject({
      name: 'Convoy.Internal',
      message: 'The workflow task failed unexpectedly.',
    });
    const own = new WorkflowTaskError('Convoy.Custom', 'as thrown');
    expect(await failure(workflowHandler(z.object({}), () => Promise.reject(own))(deps)({}, context))).toBe(
      own,
    );
  });
});
