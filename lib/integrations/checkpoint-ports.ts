/**
 * Ports of the audit checkpoints. Adapters: `KmsCheckpointSigner` and `S3CheckpointArchive` on AWS
 * (lib/integrations), `LocalKeyCheckpointSigner` and `FileCheckpointArchive` in the embedded runtime
 * (lib/local).
 */
import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';

/** Signs a checkpoint's digest hash (hex sha256) and checks signatures made with its key. */
export interface CheckpointSigner {
  keyId: string;
  algorithm: string;
  sign(digestHash: string): Promise<string>;
  verify(digestHash: string, signature: string, keyId: string): Promise<boolean>;
}

/** Write-once storage of signed checkpoints: a checkpoint once written is never replaced. */
export interface CheckpointArchive {
  /** Fails (conflict) when a checkpoint with the same name exists. */
  put(checkpoint: SignedCheckpoint): Promise<void>;
  latest(): Promise<SignedCheckpoint | undefined>;
}

export interface Checkpoints {
  signer: CheckpointSigner;
  archive: CheckpointArchive;
}

/** The object or file name of a checkpoint: sorts by time, unique by content. */
export const checkpointName = (checkpoint: SignedCheckpoint): string =>
  `${checkpoint.digest.at.replace(/[:.]/g, '-')}-${checkpoint.hash.slice(0, 16)}.json`;
