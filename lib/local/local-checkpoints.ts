import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import {
  checkpointName,
  type CheckpointArchive,
  type Checkpoints,
  type CheckpointSigner,
} from '#integrations/checkpoint-ports.ts';

/** The embedded runtime's signer: an Ed25519 key kept beside the data (created on first use, 0600). */
export class LocalKeyCheckpointSigner implements CheckpointSigner {
  readonly keyId: string;
  readonly algorithm = 'Ed25519';
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(privateKey: KeyObject) {
    this.privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
    const der = this.publicKey.export({ type: 'spki', format: 'der' });
    this.keyId = `local:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  }

  static async fromFile(file: string): Promise<LocalKeyCheckpointSigner> {
    const pem = await readFile(file, 'utf8').catch(() => undefined);
    if (pem !== undefined) return new LocalKeyCheckpointSigner(createPrivateKey(pem));
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return new LocalKeyCheckpointSigner(privateKey);
  }

  sign(digestHash: string): Promise<string> {
    return Promise.resolve(sign(null, Buffer.from(digestHash, 'hex'), this.privateKey).toString('base64'));
  }

  verify(digestHash: string, signature: string, keyId: string): Promise<boolean> {
    if (keyId !== this.keyId) return Promise.resolve(false);
    return Promise.resolve(
      verify(null, Buffer.from(digestHash, 'hex'), this.publicKey, Buffer.from(signature, 'base64')),
    );
  }
}

/** `.convoy/checkpoints/`: one read-only file per checkpoint, created exclusively (never replaced). */
export class FileCheckpointArchive implements CheckpointArchive {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async put(checkpoint: SignedCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, checkpointName(checkpoint));
    try {
      await writeFile(file, `${JSON.stringify(checkpoint, null, 2)}\n`, { flag: 'wx', mode: 0o444 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConvoyError('conflict', 'That checkpoint is already written.', { cause: error });
      }
      throw error;
    }
    await chmod(file, 0o444);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const last = names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .at(-1);
    if (last === undefined) return undefined;
    return JSON.parse(await readFile(join(this.dir, last), 'utf8')) as SignedCheckpoint;
  }
}

/** The embedded runtime's checkpoints, under its data directory. */
export const localCheckpoints = async (dataDir: string): Promise<Checkpoints> => {
  await mkdir(dataDir, { recursive: true });
  return {
    signer: await LocalKeyCheckpointSigner.fromFile(join(dataDir, 'checkpoint-key.pem')),
    archive: new FileCheckpointArchive(join(dataDir, 'checkpoints')),
  };
};
