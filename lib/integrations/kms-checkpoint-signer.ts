import { KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { ConvoyError } from '#domain/core/errors.ts';
import type { CheckpointSigner } from './checkpoint-ports.ts';

const ALGORITHM = 'ECDSA_SHA_256';

const failed = (what: string, error: unknown): ConvoyError =>
  new ConvoyError('unavailable', `KMS could not ${what} the audit checkpoint.`, { cause: error });

/**
 * Signs checkpoint digests with an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY): the private key
 * never leaves KMS, and anyone with kms:Verify (or the public key) can check a checkpoint. The digest
 * hash is already a sha256, so it is sent as a DIGEST.
 */
export class KmsCheckpointSigner implements CheckpointSigner {
  readonly keyId: string;
  readonly algorithm = ALGORITHM;
  private readonly kms: KMSClient;

  constructor(kms: KMSClient, keyId: string) {
    this.kms = kms;
    this.keyId = keyId;
  }

  async sign(digestHash: string): Promise<string> {
    try {
      const out = await this.kms.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: Buffer.from(digestHash, 'hex'),
          MessageType: 'DIGEST',
          SigningAlgorithm: ALGORITHM,
        }),
      );
      if (out.Signature === undefined) throw new Error('KMS returned no signature');
      return Buffer.from(out.Signature).toString('base64');
    } catch (error) {
      throw failed('sign', error);
    }
  }

  async verify(digestHash: string, signature: string, keyId: string): Promise<boolean> {
    try {
      const out = await this.kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: Buffer.from(digestHash, 'hex'),
          MessageType: 'DIGEST',
          Signature: Buffer.from(signature, 'base64'),
          SigningAlgorithm: ALGORITHM,
        }),
      );
      return out.SignatureValid === true;
    } catch (error) {
      // KMS answers an invalid signature with KMSInvalidSignatureException, not SignatureValid: false.
      if ((error as { name?: string }).name === 'KMSInvalidSignatureException') return false;
      throw failed('verify', error);
    }
  }
}
