import { KMSClient, KMSInvalidSignatureException, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointDigest, digestHash, type SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { awsCheckpointsFromEnv } from '#integrations/aws-checkpoints.ts';
import { checkpointName } from '#integrations/checkpoint-ports.ts';
import { KmsCheckpointSigner } from '#integrations/kms-checkpoint-signer.ts';
import { S3CheckpointArchive } from '#integrations/s3-checkpoint-archive.ts';

const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  kms.reset();
  s3.reset();
});

const digest = checkpointDigest(
  '2026-11-23T11:00:00.000Z',
  new Map([['_global', { seq: 3, hash: 'h' }]]),
  null,
);
const signed: SignedCheckpoint = {
  digest,
  hash: digestHash(digest),
  signature: 'c2ln',
  keyId: 'arn:aws:kms:eu-west-1:123:key/k',
  algorithm: 'ECDSA_SHA_256',
};

describe('KmsCheckpointSigner', () => {
  const signer = new KmsCheckpointSigner(new KMSClient({}), 'arn:aws:kms:eu-west-1:123:key/k');

  it('signs the digest hash as a DIGEST with ECDSA_SHA_256, and returns base64', async () => {
    kms.on(SignCommand).resolves({ Signature: Buffer.from('sig') });
    expect(await signer.sign(signed.hash)).toBe(Buffer.from('sig').toString('base64'));
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toEqual({
      KeyId: 'arn:aws:kms:eu-west-1:123:key/k',
      Message: Buffer.from(signed.hash, 'hex'),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  it.each([
    ['valid', { SignatureValid: true }, true],
    ['not valid', { SignatureValid: false }, false],
  ])('verifies a %s signature', async (_, answer, expected) => {
    kms.on(VerifyCommand).resolves(answer);
    expect(await signer.verify(signed.hash, 'c2ln', 'other-key')).toBe(expected);
    expect(kms.commandCalls(VerifyCommand)[0]?.args[0].input).toMatchObject({ KeyId: 'other-key' });
  });

  it('reads KMSInvalidSignatureException as an invalid signature', async () => {
    kms.on(VerifyCommand).rejects(new KMSInvalidSignatureException({ message: 'bad', $metadata: {} }));
    expect(await signer.verify(signed.hash, 'c2ln', 'k')).toBe(false);
  });

  it('translates other failures to unavailable, and a missing signature too', async () => {
    kms.on(VerifyCommand).rejects(new Error('throttled'));
    await expect(signer.verify(signed.hash, 'c2ln', 'k')).rejects.toMatchObject({ code: 'unavailable' });
    kms.on(SignCommand).resolves({});
    await expect(signer.sign(signed.hash)).rejects.toBeInstanceOf(ConvoyError);
  });
});

describe('S3CheckpointArchive', () => {
  const archive = new S3CheckpointArchive(new S3Client({}), 'checkpoints-bucket');

  it('writes a checkpoint once, never over another (If-None-Match)', async () => {
    s3.on(PutObjectCommand).resolves({});
    await archive.put(signed);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'checkpoints-bucket',
      Key: `checkpoints/${checkpointName(signed)}`,
      IfNoneMatch: '*',
      ContentType: 'application/json',
    });
  });

  it.each([
    ['an existing name', 'PreconditionFailed', 'conflict'],
    ['anything else', 'InternalError', 'unavailable'],
  ])('answers %s as %s', async (_, name, code) => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name, $fault: 'client', $metadata: {}, message: name }),
    );
    await expect(archive.put(signed)).rejects.toMatchObject({ code });
  });

  it('reads the newest checkpoint across pages, and none from an empty bucket', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'checkpoints/2026-a.json' }, { Key: 'checkpoints/2026-c.json' }],
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'checkpoints/2026-b.json' }, {}] });
    s3.on(GetObjectCommand, { Key: 'checkpoints/2026-c.json' }).resolves({
      // The SDK's stream body, as far as the archive uses it.
      Body: { transformToString: () => Promise.resolve(JSON.stringify(signed)) } as never,
    });
    expect(await archive.latest()).toEqual(signed);
    expect(s3.commandCalls(ListObjectsV2Command)[1]?.args[0].input.ContinuationToken).toBe('t');
    s3.reset();
    s3.on(ListObjectsV2Command).resolves({});
    expect(await archive.latest()).toBeUndefined();
    s3.on(ListObjectsV2Command).rejects(new Error('denied'));
    await expect(archive.latest()).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('the checkpoint adapters from a function environment', () => {
  it.each([
    ['both', { CONVOY_CHECKPOINT_BUCKET: 'b', CONVOY_CHECKPOINT_KEY_ID: 'k' }, true],
    ['no key', { CONVOY_CHECKPOINT_BUCKET: 'b' }, false],
    ['no bucket', { CONVOY_CHECKPOINT_KEY_ID: 'k' }, false],
    ['blank', { CONVOY_CHECKPOINT_BUCKET: ' ', CONVOY_CHECKPOINT_KEY_ID: 'k' }, false],
  ])('%s', (_, env, configured) => {
    const checkpoints = awsCheckpointsFromEnv(env);
    expect(checkpoints !== undefined).toBe(configured);
    if (checkpoints) expect(checkpoints.signer.keyId).toBe('k');
  });
});
