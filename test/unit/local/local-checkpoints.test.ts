import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointDigest, digestHash, type SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { localCheckpoints } from '#local/local-checkpoints.ts';

const dirs: string[] = [];
const dir = async () => {
  const made = await mkdtemp(join(tmpdir(), 'convoy-local-checkpoints-'));
  dirs.push(made);
  return made;
};
afterAll(async () => {
  for (const made of dirs) await rm(made, { recursive: true, force: true });
});

const checkpoint = (at: string, signature: string, keyId: string): SignedCheckpoint => {
  const digest = checkpointDigest(at, new Map([['_global', { seq: 1, hash: 'h' }]]), null);
  return { digest, hash: digestHash(digest), signature, keyId, algorithm: 'Ed25519' };
};

describe('the embedded runtime’s checkpoints', () => {
  it('signs with a key it keeps (0600), and verifies only its own signatures', async () => {
    const data = await dir();
    const first = await localCheckpoints(data);
    expect(((await stat(join(data, 'checkpoint-key.pem'))).mode & 0o777).toString(8)).toBe('600');
    const again = await localCheckpoints(data);
    expect(again.signer.keyId).toBe(first.signer.keyId);
    const hash = checkpoint('2026-11-23T11:00:00.000Z', '', '').hash;
    const signature = await first.signer.sign(hash);
    expect(await again.signer.verify(hash, signature, first.signer.keyId)).toBe(true);
    expect(
      await again.signer.verify(
        hash.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        signature,
        first.signer.keyId,
      ),
    ).toBe(false);
    expect(await again.signer.verify(hash, signature, 'local:another')).toBe(false);
    const other = await localCheckpoints(await dir());
    expect(await other.signer.verify(hash, signature, first.signer.keyId)).toBe(false);
  });

  it('keeps each checkpoint in its own read-only file, never replaced, and reads the newest', async () => {
    const data = await dir();
    const { archive } = await localCheckpoints(data);
    expect(await archive.latest()).toBeUndefined();
    const older = checkpoint('2026-11-23T11:00:00.000Z', 'a', 'k');
    const newer = checkpoint('2026-11-23T12:00:00.000Z', 'b', 'k');
    await archive.put(newer);
    await archive.put(older);
    expect(await archive.latest()).toEqual(newer);
    await expect(archive.put(newer)).rejects.toMatchObject({ code: 'conflict' });
  });
});
