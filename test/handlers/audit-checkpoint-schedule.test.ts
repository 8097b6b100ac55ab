import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make } from '#functions/scheduled/audit-checkpoint.ts';
import { localCheckpoints } from '#local/local-checkpoints.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe('the hourly audit checkpoint', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    dir = await mkdtemp(join(tmpdir(), 'convoy-checkpoint-schedule-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs a digest of every chain and writes it once', async () => {
    Object.assign(api.deps, { checkpoints: await localCheckpoints(dir) });
    const result = await make(api.deps)();
    expect(result.chains).toBeGreaterThanOrEqual(2);
    expect(await readdir(join(dir, 'checkpoints'))).toEqual([
      expect.stringContaining(result.hash.slice(0, 16)),
    ]);
    const verified = await api.call('GET', '/audit/verify');
    expect(verified.json).toMatchObject({ ok: true, checkpoint: { hash: result.hash, signature: 'valid' } });
  });

  it('fails loudly where checkpoints are not configured', async () => {
    Object.assign(api.deps, { checkpoints: undefined });
    await expect(make(api.deps)()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
