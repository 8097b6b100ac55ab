import { describe, expect, it } from 'vitest';
import { statusOf } from '#api/problems.ts';
import { problemError } from '#api/client.ts';
import {
  exitCodeForCode,
  exitCodeForProblem,
  exitCodeForStatus,
  exitCodes,
  type ExitCode,
} from '#cli/exit-codes.ts';
import { errorCodes, finalConflictReasons, type ErrorCode } from '#domain/core/errors.ts';
import type { RollbackPlan } from '#domain/environments/plan.ts';
import type { DecisionRefusalCode } from '#domain/overrides/override-decision.ts';

const { ok, rejected, usage, retry } = exitCodes;

/**
 * The decision for every problem code the API can answer. A code added to lib/domain/core/errors.ts
 * fails this test until it is decided here (and in exitCodeForCode).
 */
const decided: Record<ErrorCode, ExitCode> = {
  'bad-request': usage,
  'validation-failed': rejected,
  unauthenticated: usage,
  forbidden: rejected,
  'not-found': rejected,
  'method-not-allowed': usage,
  conflict: retry,
  'already-deployed': rejected,
  'idempotency.mismatch': rejected,
  'precondition-failed': retry,
  'payload-too-large': usage,
  frozen: rejected,
  unavailable: retry,
  internal: retry,
};

describe('CLI exit codes', () => {
  it('has a decision for every error code, and no other', () => {
    expect(Object.keys(decided).sort()).toEqual([...errorCodes].sort());
    expect(Object.keys(exitCodeForCode).sort()).toEqual([...errorCodes].sort());
    expect(ok).toBe(0);
  });

  it.each(errorCodes.map((code) => [code, statusOf[code], decided[code]] as const))(
    '%s (HTTP %i) exits %i',
    (code, status, exit) => {
      expect(exitCodeForProblem(status, { code })).toBe(exit);
      expect(problemError(status, { code, status, detail: 'x' }).exitCode).toBe(exit);
    },
  );

  it.each(finalConflictReasons.map((reason) => [reason]))(
    'a conflict no retry changes (%s) exits 1',
    (reason) => {
      expect(exitCodeForProblem(409, { code: 'conflict', reason })).toBe(rejected);
    },
  );

  it('decides every refusal reason of a rollback', () => {
    const reasons: Extract<RollbackPlan, { ok: false }>['reason'][] = [
      'nothing-to-roll-back',
      'same-snapshot',
    ];
    for (const reason of reasons) expect(finalConflictReasons).toContain(reason);
  });

  /** Every refusal of an override decision (the first two are 403, the others 409 conflicts). */
  const decisionRefusals: Record<DecisionRefusalCode, readonly [number, ExitCode]> = {
    'override.self-approval': [403, rejected],
    'override.not-an-approver': [403, rejected],
    'override.already-approved': [409, rejected],
    'override.not-pending': [409, rejected],
    'override.request-expired': [409, rejected],
    // The decision's instant is out of order with the request's: the next attempt has a later one.
    'override.bad-instant': [409, retry],
  };

  it.each(Object.entries(decisionRefusals))(
    'an override decision refused as %s exits as decided',
    (reason, [status, exit]) => {
      const code = status === 403 ? 'forbidden' : 'conflict';
      expect(exitCodeForProblem(status, { code, reason })).toBe(exit);
    },
  );

  it('keeps other conflicts retryable', () => {
    expect(exitCodeForProblem(409, { code: 'conflict' })).toBe(retry);
    expect(exitCodeForProblem(409, { code: 'conflict', reason: 'override.used' })).toBe(retry);
    expect(exitCodeForProblem(409, { code: 'conflict', reason: 42 })).toBe(retry);
  });

  it.each([
    [400, usage],
    [401, usage],
    [403, rejected],
    [404, rejected],
    [409, retry],
    [412, retry],
    [415, usage],
    [422, rejected],
    [423, rejected],
    [429, retry],
    [502, retry],
  ] as const)('falls back to the HTTP status (%i exits %i) without a known code', (status, exit) => {
    expect(exitCodeForStatus(status)).toBe(exit);
    expect(exitCodeForProblem(status, {})).toBe(exit);
    expect(exitCodeForProblem(status, { code: 'not-a-convoy-code' })).toBe(exit);
    expect(exitCodeForProblem(status, { code: 'toString' })).toBe(exit);
  });
});
