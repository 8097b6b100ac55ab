import type { Catalog } from '../catalog/catalog.ts';
import { holdsAny } from './approver-routing.ts';
import { parseInstant, toIso } from '../freeze/local-time.ts';
import { timeBoxMs, type Override } from './override.ts';

export interface Decision {
  by: string;
  verdict: 'approve' | 'reject';
  /** ISO instant of the decision. */
  at: string;
  comment?: string;
}

/**
 * Why a decision is refused. `override.self-approval` and `override.not-an-approver` are 403 upstream;
 * the others are conflicts with the request's state (409).
 */
export type DecisionRefusalCode =
  | 'override.self-approval'
  | 'override.not-an-approver'
  | 'override.already-approved'
  | 'override.not-pending'
  | 'override.request-expired'
  | 'override.bad-instant';

export type DecisionResult =
  | { ok: true; override: Override; transition: 'approval-recorded' | 'approved' | 'rejected' }
  | { ok: false; code: DecisionRefusalCode; message: string };

const refuse = (code: DecisionRefusalCode, message: string): DecisionResult => ({ ok: false, code, message });

/**
 * Apply one approver's decision to a pending override. Rules: the requester can never approve (but may
 * withdraw with a rejection); only principals holding a routed role decide; one principal counts once;
 * a rejection ends the request; the request expires at `decideBy`. Reaching `approvalsRequired` approves
 * it, valid from the decision until decision + `requestedDuration`.
 */
export const decide = (override: Override, decision: Decision, catalog: Catalog): DecisionResult => {
  const at = parseInstant(decision.at);
  if (at === null) return refuse('override.bad-instant', `"${decision.at}" is not an instant`);
  if (override.status !== 'pending')
    return refuse('override.not-pending', `override ${override.id} is ${override.status}`);
  if (at >= (parseInstant(override.decideBy) as number)) {
    return refuse(
      'override.request-expired',
      `override ${override.id} waited for decisions until ${override.decideBy}`,
    );
  }
  const requester = decision.by === override.requester;
  if (decision.verdict === 'approve' && requester) {
    return refuse('override.self-approval', 'the requester of an override can never approve it');
  }
  if (!requester && !holdsAny(catalog, decision.by, override.approverRoles)) {
    return refuse(
      'override.not-an-approver',
      `${decision.by} holds none of ${override.approverRoles.join(', ')}`,
    );
  }
  if (decision.verdict === 'reject') {
    const rejection = {
      by: decision.by,
      at: toIso(at),
      ...(decision.comment === undefined ? {} : { comment: decision.comment }),
    };
    return { ok: true, transition: 'rejected', override: { ...override, status: 'rejected', rejection } };
  }
  if (override.approvals.some((a) => a.by === decision.by)) {
    return refuse(
      'override.already-approved',
      `${decision.by} already approved override ${override.id}; one principal counts once`,
    );
  }
  const approvals = [...override.approvals, { by: decision.by, at: toIso(at) }];
  if (approvals.length < override.approvalsRequired) {
    return { ok: true, transition: 'approval-recorded', override: { ...override, approvals } };
  }
  const box = timeBoxMs(override.requestedDuration);
  const duration = box.ok ? box.ms : 0;
  return {
    ok: true,
    transition: 'approved',
    override: {
      ...override,
      approvals,
      status: 'approved',
      approvedAt: toIso(at),
      expiresAt: toIso(at + duration),
    },
  };
};

/**
 * The override as it stands at `at`: a pending request past `decideBy`, or an approved one past
 * `expiresAt`, becomes expired. Anything else is returned unchanged (the same object).
 */
export const expireOverride = (override: Override, at: string | number): Override => {
  const now = parseInstant(at);
  if (now === null) return override;
  const deadline =
    override.status === 'pending'
      ? override.decideBy
      : override.status === 'approved'
        ? override.expiresAt
        : undefined;
  if (deadline === undefined || now < (parseInstant(deadline) as number)) return override;
  return { ...override, status: 'expired', expiredAt: deadline };
};
