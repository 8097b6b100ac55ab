import type { ChainPosition } from '#domain/audit/event.ts';
import { checkpointDigest, digestHash, type SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import type { StoredChain, TrailFinding } from '#domain/audit/trail.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Checkpoints } from '#integrations/checkpoint-ports.ts';
import type { Actor, AuditStore } from '#store/ports.ts';
import { verifyAuditTrail } from './verify-audit-trail.ts';

export interface TakeCheckpointDeps {
  audit: AuditStore;
  checkpoints: Checkpoints;
}

const headOf = (chain: StoredChain): ChainPosition => {
  const last = chain.events.at(-1);
  return chain.head ?? (last === undefined ? { seq: 0, hash: '' } : { seq: last.seq, hash: last.hash });
};

/**
 * Sign a digest of every chain head and write it to write-once storage. A checkpoint vouches for what
 * it signs, so a trail that does not verify is refused (the findings say why); chains written before
 * the registry existed are registered first (audited), which is the one finding a checkpoint mends.
 */
export const takeCheckpoint = async (deps: TakeCheckpointDeps, actor: Actor): Promise<SignedCheckpoint> => {
  const before = await verifyAuditTrail(deps);
  const blocking: TrailFinding[] = before.findings.filter((f) => f.code !== 'chain.unregistered');
  const broken = before.chains.filter((v) => !v.ok);
  if (broken.length > 0 || blocking.length > 0) {
    throw new ConvoyError('conflict', 'The audit trail does not verify; a checkpoint would vouch for it.', {
      context: { reason: 'audit.unverified', chains: broken, findings: blocking },
    });
  }
  const unregistered = before.findings.filter((f) => f.code === 'chain.unregistered').map((f) => f.chain);
  if (unregistered.length > 0) await deps.audit.registerChains(unregistered, actor);
  const chains = await deps.audit.readTrail();
  const previous = await deps.checkpoints.archive.latest();
  const digest = checkpointDigest(
    actor.at,
    new Map(chains.map((c) => [c.chain, headOf(c)])),
    previous?.hash ?? null,
  );
  const hash = digestHash(digest);
  const { signer } = deps.checkpoints;
  const signed: SignedCheckpoint = {
    digest,
    hash,
    signature: await signer.sign(hash),
    keyId: signer.keyId,
    algorithm: signer.algorithm,
  };
  await deps.checkpoints.archive.put(signed);
  return signed;
};
