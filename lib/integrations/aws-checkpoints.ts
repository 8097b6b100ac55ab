import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Checkpoints } from './checkpoint-ports.ts';
import { KmsCheckpointSigner } from './kms-checkpoint-signer.ts';
import { S3CheckpointArchive } from './s3-checkpoint-archive.ts';

export const checkpointEnv = {
  bucket: 'CONVOY_CHECKPOINT_BUCKET',
  keyId: 'CONVOY_CHECKPOINT_KEY_ID',
} as const;

/** The checkpoint adapters a function's environment configures: both the bucket and the key, or none. */
export const awsCheckpointsFromEnv = (
  env: NodeJS.ProcessEnv,
  clients: { kms: () => KMSClient; s3: () => S3Client } = {
    kms: () => new KMSClient({}),
    s3: () => new S3Client({}),
  },
): Checkpoints | undefined => {
  const bucket = env[checkpointEnv.bucket]?.trim();
  const keyId = env[checkpointEnv.keyId]?.trim();
  if (!bucket || !keyId) return undefined;
  return {
    signer: new KmsCheckpointSigner(clients.kms(), keyId),
    archive: new S3CheckpointArchive(clients.s3(), bucket),
  };
};
