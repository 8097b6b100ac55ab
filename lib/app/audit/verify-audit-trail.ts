import { digestHash, type SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { verifyTrail, type TrailVerdict } from '#domain/audit/trail.ts';
import type { Checkpoints } from '#integrations/checkpoint-ports.ts';
import type { AuditStore } from '#store/ports.ts';

export interface AuditTrailDeps {
  audit: AuditStore;
  /** Left out where none are configured: the trail is then verified without a checkpoint. */
  checkpoints?: Checkpoints;
}

export interface AuditTrailReport extends TrailVerdict {
  /** False where no signer and archive are configured (the answer says so rather than pretending). */
  checkpointsConfigured: boolean;
}

/** A checkpoint's signature holds when its hash is its digest's and the signer vouches for it. */
const signatureHolds = async (checkpoints: Checkpoints, signed: SignedCheckpoint): Promise<boolean> =>
  digestHash(signed.digest) === signed.hash &&
  (await checkpoints.signer.verify(signed.hash, signed.signature, signed.keyId));

/**
 * `audit verify`: every chain the table holds (found by a Scan, not an index), the chain registry,
 * and the latest signed checkpoint. With `chain`, only that chain's verdict and findings are kept.
 */
export const verifyAuditTrail = async (deps: AuditTrailDeps, chain?: string): Promise<AuditTrailReport> => {
  const [chains, latest] = await Promise.all([deps.audit.readTrail(), deps.checkpoints?.archive.latest()]);
  const checkpoint =
    deps.checkpoints !== undefined && latest !== undefined
      ? { signed: latest, signatureValid: await signatureHolds(deps.checkpoints, latest) }
      : undefined;
  const verdict = verifyTrail({ chains, ...(checkpoint === undefined ? {} : { checkpoint }) });
  const report = { ...verdict, checkpointsConfigured: deps.checkpoints !== undefined };
  if (chain === undefined) return report;
  const chainsKept = verdict.chains.filter((v) => v.chain === chain);
  const findings = verdict.findings.filter((f) => f.chain === chain || f.chain === '');
  return {
    ...report,
    chains: chainsKept,
    findings,
    ok: chainsKept.every((v) => v.ok) && findings.length === 0,
  };
};
