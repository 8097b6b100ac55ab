import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make as makeOverrideDecision } from '#functions/workflow/override-decision.ts';
import type { ConvoyError } from '#domain/core/errors.ts';
import { FREEZE_CHAIN } from '#store/keys.ts';
import { createWorkflowHarness, executionOf, type WorkflowHarness } from './support.ts';

/**
 * The real statemachines/override-approval.asl.json on aws-local-stepfunctions, its Tasks bound to the
 * real override-decision handler on DynamoDB Local; requests and decisions go through the real
 * overrides API handler, which starts the workflow and resumes its task tokens.
 */
let h: WorkflowHarness;

// Approval flows: a scale of 1000 turns the 24 h decision timeout into 86 s and a PT1M time box into 60 ms.
const APPROVAL_SCALE = 1000;

const request = (body: Record<string, unknown> = {}) =>
  h.overrides('POST', '/overrides', 'priya', {
    environment: 'prod-eu',
    bundle: 'checkout-timeouts@3',
    reason: 'Checkout timeouts break the payment provider migration',
    ticket: 'INC-4711',
    requestedDuration: 'PT1M',
    ...body,
  });

const freezeEvents = async (overrideId: string) =>
  (await h.api.store.audit.listEvents({ chain: FREEZE_CHAIN })).filter((e) => e.subject === overrideId);

const storedToken = async (overrideId: string) => (await h.api.store.overrides.get(overrideId))?.taskToken;

/** Waits until the workflow waits on a token other than `previous`, and returns it. */
const nextWait = async (overrideId: string, previous?: string): Promise<string> => {
  const execution = executionOf(h.runner, overrideId);
  const waiting = await h.runner.until(
    execution.executionId,
    (e) => e.waitingFor.length === 1 && e.waitingFor[0] !== previous,
  );
  return waiting.waitingFor[0] as string;
};

const finished = (overrideId: string) =>
  h.runner.until(executionOf(h.runner, overrideId).executionId, (e) => e.status !== 'RUNNING');

beforeAll(async () => {
  h = await createWorkflowHarness(APPROVAL_SCALE);
});
afterAll(async () => {
  await h.stop();
});

describe('override-approval workflow', () => {
  it('waits for each decision, loops while approvals are missing, then holds the approval until its time box ends', async () => {
    const created = await request();
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({ status: 'pending', approvalsRequired: 2 });

    // The Await Decision task stored the token it waits on.
    const first = await nextWait(id);
    expect(await storedToken(id)).toBe(first);

    // One of two approvals: resumed with `pending`, the workflow waits again on a fresh token.
    const one = await h.overrides('POST', `/overrides/${id}/approve`, 'olivia', { comment: 'go' });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ status: 'pending', approvals: [{ by: 'olivia' }] });
    const second = await nextWait(id, first);
    expect(second).not.toBe(first);
    expect(await storedToken(id)).toBe(second);

    const two = await h.overrides('POST', `/overrides/${id}/approve`, 'paolo');
    expect(two.json).toMatchObject({ status: 'approved', expiresAt: '2026-11-23T10:01:00.000Z' });

    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.history.map((s) => s.state)).toEqual([
      'Resumed?',
      'Notify Approvers',
      'Await Decision',
      'Decided?',
      'Await Decision',
      'Decided?',
      'Has Expiry?',
      'Notify Approved',
      'Wait Until Expiry',
      'Expire Approval',
      'Approval Ended?',
      'Notify Expired',
      'Done',
    ]);
    expect((await h.api.store.overrides.get(id))?.override).toMatchObject({ status: 'expired' });

    // Every transition is on the audit trail, in order.
    const audit = await freezeEvents(id);
    expect(audit.map((e) => e.type)).toEqual([
      'OverrideRequested',
      'OverrideDecisionRecorded',
      'OverrideApproved',
      'OverrideExpired',
    ]);
    expect(audit.at(-1)).toMatchObject({
      actor: 'workflow:override-approval',
      detail: { reason: 'time-box-ended', previousStatus: 'approved', status: 'expired' },
    });
    // …and the approvers were notified through the bus.
    expect(h.events.filter((e) => e.detail.overrideId === id).map((e) => e.detailType)).toEqual([
      'OverrideRequested',
      'OverrideApproved',
      'OverrideExpired',
    ]);
    expect(
      h.events.find((e) => e.detail.overrideId === id && e.detailType === 'OverrideApproved'),
    ).toMatchObject({
      source: 'convoy.override',
      detail: { expiresAt: '2026-11-23T10:01:00.000Z' },
    });
  });

  it('ends at the first rejection', async () => {
    const id = (await request()).json.id as string;
    await nextWait(id);
    const rejected = await h.overrides('POST', `/overrides/${id}/reject`, 'olivia', { reason: 'not now' });
    expect(rejected.json).toMatchObject({ status: 'rejected' });

    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.history.map((s) => s.state).slice(-3)).toEqual(['Decided?', 'Notify Rejected', 'Done']);
    expect((await freezeEvents(id)).map((e) => e.type)).toEqual(['OverrideRequested', 'OverrideRejected']);
    expect(h.events.filter((e) => e.detail.overrideId === id).map((e) => e.detailType)).toEqual([
      'OverrideRequested',
      'OverrideRejected',
    ]);
  });

  it('resumes itself when a decision was recorded before its token was stored', async () => {
    // The request is decided while no workflow waits (the start failed, or the resume hit a stale token).
    const runner = h.runner;
    const id = (await request({ approvalsRequired: 2 })).json.id as string;
    await nextWait(id);
    const stored = await h.api.store.overrides.get(id);
    if (!stored) throw new Error('missing override');
    // Simulate "decided before the token": record a rejection directly, without resuming anything.
    await h.api.store.overrides.update(
      { ...stored.override, status: 'rejected', rejection: { by: 'olivia', at: '2026-11-23T10:00:00.000Z' } },
      stored.revision,
      { type: 'OverrideRejected', at: '2026-11-23T10:00:00.000Z', actor: 'olivia', subject: id, detail: {} },
    );
    // A new wait (as after a retry) finds it decided and resumes its own token.
    const output = await makeOverrideDecision(h.api.deps)(
      { action: 'await', overrideId: id, taskToken: stored.taskToken },
      {} as never,
    );
    expect(output).toEqual({ overrideId: id, status: 'rejected', expiresAt: null });
    const done = await runner.until(executionOf(runner, id).executionId, (e) => e.status !== 'RUNNING');
    expect(done.history.map((s) => s.state).slice(-2)).toEqual(['Notify Rejected', 'Done']);
  });

  it('a resume with a token nobody waits on is a stale-token conflict', async () => {
    const id = (await request()).json.id as string;
    const token = await nextWait(id);
    await h.overrides('POST', `/overrides/${id}/reject`, 'olivia', { reason: 'no' });
    await finished(id);
    const engine = h.api.deps.workflows;
    const error = await engine.sendTaskSuccess(token, { status: 'approved' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'conflict',
      context: { staleTaskToken: true },
    } satisfies Partial<ConvoyError>);
  });

  it('expires a request that gets no decision before its timeout', async () => {
    // 24 h of decision timeout at a scale of 10^6: 86 ms.
    const runner = h.useRunner(1_000_000);
    const id = (await request()).json.id as string;
    const done = await runner.until(executionOf(runner, id).executionId, (e) => e.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.history.map((s) => s.state)).toEqual([
      'Resumed?',
      'Notify Approvers',
      'Await Decision',
      'Expire Request',
      'Decided?',
      'Notify Expired',
      'Done',
    ]);
    expect((await h.api.store.overrides.get(id))?.override.status).toBe('expired');
    const audit = await freezeEvents(id);
    expect(audit.map((e) => e.type)).toEqual(['OverrideRequested', 'OverrideExpired']);
    expect(audit[1]?.detail).toMatchObject({ reason: 'decision-timeout', previousStatus: 'pending' });
    // An approval after the expiry is refused.
    const late = await h.overrides('POST', `/overrides/${id}/approve`, 'olivia');
    expect(late.status).toBe(409);
    h.useRunner(APPROVAL_SCALE);
  });

  it('fails closed: an unexpected decision expires the override and fails the execution', async () => {
    const id = (await request()).json.id as string;
    const token = await nextWait(id);
    h.runner.sendTaskSuccess(token, { overrideId: id, status: 'lost' });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Convoy.OverrideWorkflowFailed' });
    expect(done.history.map((s) => s.state).slice(-3)).toEqual(['Decided?', 'Record Failure', 'Failed']);
    expect((await h.api.store.overrides.get(id))?.override.status).toBe('expired');
    expect((await freezeEvents(id)).at(-1)?.detail).toMatchObject({ reason: 'workflow-failed' });
  });

  it('fails closed on an approval resumed without its expiry', async () => {
    const id = (await request()).json.id as string;
    const token = await nextWait(id);
    h.runner.sendTaskSuccess(token, { overrideId: id, status: 'approved' });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Convoy.OverrideWorkflowFailed' });
    expect(done.history.map((s) => s.state).slice(-4)).toEqual([
      'Decided?',
      'Has Expiry?',
      'Record Failure',
      'Failed',
    ]);
    expect((await h.api.store.overrides.get(id))?.override.status).toBe('expired');
  });

  it('ends quietly when the approved override was used before its time box ended', async () => {
    const id = (await request()).json.id as string;
    const first = await nextWait(id);
    await h.overrides('POST', `/overrides/${id}/approve`, 'olivia');
    const second = await nextWait(id, first);
    const stored = await h.api.store.overrides.get(id);
    if (!stored) throw new Error('missing override');
    // Approved and used in one go (the resume carries `used`): nothing is left to expire.
    const used = {
      ...stored.override,
      status: 'used' as const,
      approvedAt: '2026-11-23T10:00:00.000Z',
      expiresAt: '2026-11-23T10:01:00.000Z',
      uses: [{ at: '2026-11-23T10:00:00.000Z', deploymentId: 'dpl-prod-eu-1' }],
    };
    await h.api.store.overrides.update(used, stored.revision, {
      type: 'OverrideUsed',
      at: '2026-11-23T10:00:00.000Z',
      actor: 'priya',
      subject: id,
      detail: {},
    });
    h.runner.sendTaskSuccess(second, { overrideId: id, status: 'used', expiresAt: used.expiresAt });
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.history.map((s) => s.state).slice(-6)).toEqual([
      'Has Expiry?',
      'Notify Approved',
      'Wait Until Expiry',
      'Expire Approval',
      'Approval Ended?',
      'Done',
    ]);
    expect((await h.api.store.overrides.get(id))?.override.status).toBe('used');
    expect((await freezeEvents(id)).at(-1)?.type).toBe('OverrideUsed');
  });

  it('fails when the override does not exist (the handler reports Convoy.NotFound to the Catch)', async () => {
    const execution = h.runner.start({
      workflow: 'override-approval',
      name: 'ovr-missing',
      input: { overrideId: 'ovr-missing', decisionTimeoutSeconds: 3600 },
    });
    const done = await h.runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
    expect(done.status).toBe('FAILED');
    expect(done.history.map((s) => s.state)).toEqual([
      'Resumed?',
      'Notify Approvers',
      'Await Decision',
      'Record Failure',
      'Failed',
    ]);
  });
});
