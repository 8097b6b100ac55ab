import { ConvoyError } from '#domain/core/errors.ts';
import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { requireAllowed, requireCatalog, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { takeCheckpoint } from './take-checkpoint.ts';
import { verifyAuditTrail, type AuditTrailReport } from './verify-audit-trail.ts';

/** Verify the trail (one chain, or all) with the checkpoints this deployment has, if any. */
export const verifyTrail = (deps: Deps, chain?: string): Promise<AuditTrailReport> =>
  verifyAuditTrail(
    { audit: deps.store.audit, ...(deps.checkpoints === undefined ? {} : { checkpoints: deps.checkpoints }) },
    chain,
  );

/** A checkpoint a caller asked for: they must be allowed, and checkpoints must be configured. */
export const requestCheckpoint = async (deps: Deps, caller: Caller): Promise<SignedCheckpoint> => {
  requireCatalog(caller);
  requireAllowed(caller, 'audit:checkpoint');
  if (deps.checkpoints === undefined) {
    throw new ConvoyError('unavailable', 'Audit checkpoints are not configured in this deployment.');
  }
  return takeCheckpoint(
    { audit: deps.store.audit, checkpoints: deps.checkpoints },
    { principal: caller.principal, at: caller.at },
  );
};
