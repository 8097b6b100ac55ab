import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { checkpointName, type CheckpointArchive } from './checkpoint-ports.ts';

const PREFIX = 'checkpoints/';

/**
 * Signed checkpoints in an S3 bucket with Object Lock (compliance mode, set on the bucket by the stack):
 * a conditional PutObject (If-None-Match: *) never replaces one, and the lock keeps it from being
 * deleted or overwritten for the retention period, even by the account's root user.
 */
export class S3CheckpointArchive implements CheckpointArchive {
  private readonly s3: S3Client;
  private readonly bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  async put(checkpoint: SignedCheckpoint): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${PREFIX}${checkpointName(checkpoint)}`,
          Body: `${JSON.stringify(checkpoint, null, 2)}\n`,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed') {
        throw new ConvoyError('conflict', 'That checkpoint is already written.', { cause: error });
      }
      throw new ConvoyError('unavailable', 'S3 could not store the audit checkpoint.', { cause: error });
    }
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    try {
      let last: string | undefined;
      let token: string | undefined;
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && (last === undefined || object.Key > last)) last = object.Key;
        }
        token = page.NextContinuationToken;
      } while (token !== undefined);
      if (last === undefined) return undefined;
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: last }));
      return JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as SignedCheckpoint;
    } catch (error) {
      throw new ConvoyError('unavailable', 'S3 could not read the audit checkpoints.', { cause: error });
    }
  }
}
