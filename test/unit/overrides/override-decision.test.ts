import { describe, expect, it } from 'vitest';
import { decide, expireOverride, type Decision } from '#domain/overrides/override-decision.ts';
import type { Override } from '#domain/overrides/override.ts';
import { catalog } from './support/catalog.ts';
import { approved, pending } from './support/override.ts';

const at = '2026-12-24T10:30:00Z';
const approve = (by: string, when = at): Decision => ({ by, verdict: 'approve', at: when });
const reject = (by: string, comment?: string): Decision => ({
  by,
  verdict: 'reject',
  at,
  ...(comment === undefined ? {} : { comment }),
});

/** Apply decisions in order, stopping at the first refusal. */
const run = (override: Override, decisions: Decision[]) => {
  let current = override;
  for (const d of decisions) {
    const result = decide(current, d, catalog);
    if (!result.ok) return result;
    current = result.override;
  }
  return { ok: true as const, override: current };
};

describe('deciding on an override', () => {
  it.each([
    ['the requester approving', [approve('paula')], 'override.self-approval'],
    ['a principal without a routed role', [approve('wendy')], 'override.not-an-approver'],
    ['an owner of another namespace', [approve('ines')], 'override.not-an-approver'],
    ['a principal who already approved', [approve('peter'), approve('peter')], 'override.already-approved'],
    ['a decision after the request was rejected', [reject('rita'), approve('peter')], 'override.not-pending'],
    [
      'a decision after it was approved',
      [approve('peter'), approve('rita'), approve('rob')],
      'override.not-pending',
    ],
    [
      'a decision after the decision deadline',
      [approve('peter', '2026-12-25T10:00:00Z')],
      'override.request-expired',
    ],
    ['a decision at no instant', [approve('peter', 'soon')], 'override.bad-instant'],
    ['an outsider rejecting', [reject('wendy')], 'override.not-an-approver'],
  ])('%s is refused (%s)', (_, decisions, code) => {
    expect(run(pending(), decisions)).toMatchObject({ ok: false, code });
  });

  it('one approval of two is recorded and the request stays pending', () => {
    const result = decide(pending(), approve('peter'), catalog);
    expect(result).toMatchObject({
      ok: true,
      transition: 'approval-recorded',
      override: { status: 'pending', approvals: [{ by: 'peter' }] },
    });
  });

  it('reaching the approvals required approves it for its time box from the last approval', () => {
    const result = run(pending(), [approve('peter', '2026-12-24T10:20:00Z'), approve('rita')]);
    expect(result).toMatchObject({
      ok: true,
      override: {
        status: 'approved',
        approvedAt: '2026-12-24T10:30:00.000Z',
        expiresAt: '2026-12-24T12:30:00.000Z',
      },
    });
    expect(decide(pending({ approvals: [{ by: 'peter', at }] }), approve('rita'), catalog)).toMatchObject({
      transition: 'approved',
    });
  });

  it('a soft freeze needs one approval', () => {
    expect(decide(pending({ level: 'soft', approvalsRequired: 1 }), approve('rob'), catalog)).toMatchObject({
      ok: true,
      override: { status: 'approved' },
    });
  });

  it('a rejection ends the request, and the requester may withdraw it', () => {
    expect(decide(pending(), reject('rita', 'use the rollback instead'), catalog)).toMatchObject({
      ok: true,
      transition: 'rejected',
      override: { status: 'rejected', rejection: { by: 'rita', comment: 'use the rollback instead' } },
    });
    expect(decide(pending(), reject('paula'), catalog)).toMatchObject({
      ok: true,
      override: { status: 'rejected', rejection: { by: 'paula' } },
    });
  });

  it('a stored time box that cannot be read gives an override that expires at once', () => {
    const result = decide(
      pending({ approvalsRequired: 1, requestedDuration: 'P1M' }),
      approve('rita'),
      catalog,
    );
    expect(result.ok && result.override.expiresAt).toBe(result.ok && result.override.approvedAt);
  });
});

describe('expiry', () => {
  it.each([
    ['a pending request before its deadline', pending(), '2026-12-25T09:59:59Z', 'pending'],
    ['a pending request at its deadline', pending(), '2026-12-25T10:00:00Z', 'expired'],
    ['an approved override inside its time box', approved(), '2026-12-24T12:29:59Z', 'approved'],
    ['an approved override after its time box', approved(), '2026-12-24T12:30:00Z', 'expired'],
    ['a used override', approved({ status: 'used' }), '2027-01-01T00:00:00Z', 'used'],
    ['a rejected one', pending({ status: 'rejected' }), '2027-01-01T00:00:00Z', 'rejected'],
    ['any, at no instant', pending(), 'later', 'pending'],
  ])('%s at %s is %s', (_, override, when, status) => {
    expect(expireOverride(override, when).status).toBe(status);
  });

  it('records when it expired', () => {
    expect(expireOverride(approved(), '2026-12-25T00:00:00Z').expiredAt).toBe('2026-12-24T12:30:00.000Z');
  });
});
