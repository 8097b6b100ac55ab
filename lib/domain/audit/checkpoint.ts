import { canonicalJson, contentHash } from '../core/json.ts';
import type { ChainPosition } from './event.ts';

/** Where one chain stood when a checkpoint was taken. */
export interface CheckpointHead {
  chain: string;
  seq: number;
  hash: string;
}

/**
 * A digest of every chain head at one instant, in the manner of CloudTrail's digest files: each one
 * names the hash of the one before it, so the checkpoints form a chain of their own.
 */
export interface CheckpointDigest {
  version: 1;
  at: string;
  chains: CheckpointHead[];
  /** `digestHash` of the previous checkpoint; null for the first. */
  previous: string | null;
}

/** A digest as written to write-once storage: signed (KMS on AWS, a local key in the embedded runtime). */
export interface SignedCheckpoint {
  digest: CheckpointDigest;
  /** sha256 of the digest's canonical JSON: the bytes that are signed. */
  hash: string;
  signature: string;
  keyId: string;
  algorithm: string;
}

export const checkpointDigest = (
  at: string,
  heads: ReadonlyMap<string, ChainPosition>,
  previous: string | null,
): CheckpointDigest => ({
  version: 1,
  at,
  chains: [...heads.entries()]
    .filter(([, head]) => head.seq > 0)
    .map(([chain, head]) => ({ chain, seq: head.seq, hash: head.hash }))
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0)),
  previous,
});

export const digestHash = (digest: CheckpointDigest): string => contentHash(digest);

/** The exact text a signer signs: canonical JSON, so any reader can rebuild it from the digest. */
export const digestText = (digest: CheckpointDigest): string => canonicalJson(digest);
