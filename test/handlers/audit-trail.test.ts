import { mkdtemp, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEventHash, type AuditEvent } from '#domain/audit/event.ts';
import { REGISTRY_CHAIN } from '#domain/audit/trail.ts';
import { localCheckpoints } from '#local/local-checkpoints.ts';
import { auditEventItem } from '#store/items.ts';
import { FREEZE_CHAIN, keys } from '#store/keys.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, seedFreezeWorld, yearEnd } from '../support/freeze.ts';

/**
 * `audit verify` proves the trail: chains are found by a Scan of the table (no index trusted), the
 * registry knows every chain ever opened, and signed checkpoints catch a consistent rewrite. Each test
 * tampers with a fresh table the way an attacker with write access to it would.
 */
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface World {
  api: TestApi;
  dir: string;
  verify(): Promise<{
    ok: boolean;
    chains: { chain: string; ok: boolean }[];
    findings: { chain: string; code: string }[];
    checkpoint: { signature: string; since: { chain: string }[]; opened: string[] } | null;
  }>;
  checkpoint(): Promise<{ status: number; json: Record<string, unknown> }>;
  events(chain: string): Promise<AuditEvent[]>;
}

/** Catalog, bundles, services, a freeze window and a deploy: several chains, then a checkpoint. */
const world = async (): Promise<World> => {
  const api = await createTestApi();
  const dir = await mkdtemp(join(tmpdir(), 'convoy-checkpoints-'));
  dirs.push(dir);
  Object.assign(api.deps, { checkpoints: await localCheckpoints(dir) });
  await seedFreezeWorld(api);
  at(api, '2026-11-23T10:00:00Z');
  expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
  expect(
    (await api.call('POST', '/environments/dev/deployments', { body: { bundle: 'checkout-timeouts@3' } }))
      .status,
  ).toBe(201);
  const verify = async () => (await api.call('GET', '/audit/verify', { as: 'vera' })).json;
  const checkpoint = async () => {
    at(api, '2026-11-23T11:00:00Z');
    return api.call('POST', '/audit/checkpoints');
  };
  return { api, dir, verify, checkpoint, events: (chain) => api.store.audit.listEvents({ chain }) };
};

const tableName = (api: TestApi): string => api.table.tableName;

describe('the audit trail proves itself', () => {
  it('is intact, with every chain in the registry, and a signed checkpoint vouches for it', async () => {
    const w = await world();
    const before = await w.verify();
    expect(before).toMatchObject({ ok: true, findings: [], checkpoint: null, checkpointsConfigured: true });
    const registry = await w.events(REGISTRY_CHAIN);
    expect(registry.map((e) => e.subject).sort()).toEqual(
      ['_freeze', '_global', 'dev', 'prod-eu', 'prod-us', 'staging'].sort(),
    );
    const taken = await w.checkpoint();
    expect(taken.status).toBe(201);
    expect(taken.json).toMatchObject({ keyId: expect.stringMatching(/^local:/), algorithm: 'Ed25519' });
    expect((await readdir(join(w.dir, 'checkpoints'))).length).toBe(1);
    const after = await w.verify();
    expect(after).toMatchObject({ ok: true, checkpoint: { signature: 'valid', since: [], opened: [] } });
    // A second checkpoint chains to the first.
    at(w.api, '2026-11-23T12:00:00Z');
    const second = await w.api.call('POST', '/audit/checkpoints');
    expect((second.json.digest as { previous: string }).previous).toBe(taken.json.hash);
  });

  it('says what changed since the checkpoint', async () => {
    const w = await world();
    await w.checkpoint();
    at(w.api, '2026-11-24T10:00:00Z');
    await w.api.call('POST', '/environments/dev/rollback', { body: {} });
    const report = await w.verify();
    expect(report.ok).toBe(true);
    expect(report.checkpoint?.since).toEqual([{ chain: 'dev', from: 2, to: 3 }]);
    const dev = (await w.api.call('GET', '/audit/verify?env=dev')).json;
    expect(dev.chains.map((c: { chain: string }) => c.chain)).toEqual(['dev']);
    expect(dev.ok).toBe(true);
  });

  it('catches the newest event deleted and its chain head rewound to match', async () => {
    const w = await world();
    await w.api.call('POST', '/freezes', { body: { ...yearEnd, id: 'second', name: 'Second' } });
    await w.checkpoint();
    const events = await w.events(FREEZE_CHAIN);
    const newest = events.at(-1) as AuditEvent;
    const previous = events.at(-2) as AuditEvent;
    await w.api.doc.send(
      new DeleteCommand({ TableName: tableName(w.api), Key: keys.auditEvent(FREEZE_CHAIN, newest.seq) }),
    );
    await w.api.doc.send(
      new UpdateCommand({
        TableName: tableName(w.api),
        Key: keys.chainHead(FREEZE_CHAIN),
        UpdateExpression: 'SET auditSeq = :s, auditHash = :h',
        ExpressionAttributeValues: { ':s': previous.seq, ':h': previous.hash },
      }),
    );
    const report = await w.verify();
    expect(report.ok).toBe(false);
    expect(report.chains.find((c) => c.chain === FREEZE_CHAIN)?.ok).toBe(true);
    expect(report.findings).toEqual([
      expect.objectContaining({ chain: FREEZE_CHAIN, code: 'checkpoint.rewound' }),
    ]);
  });

  it('still checks a chain whose head lost its index attributes', async () => {
    const w = await world();
    await w.api.doc.send(
      new UpdateCommand({
        TableName: tableName(w.api),
        Key: keys.chainHead(FREEZE_CHAIN),
        UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
      }),
    );
    const [first] = await w.events(FREEZE_CHAIN);
    const edited = { ...(first as AuditEvent), actor: 'mallory' };
    await w.api.doc.send(new PutCommand({ TableName: tableName(w.api), Item: auditEventItem(edited) }));
    const report = await w.verify();
    expect(report.ok).toBe(false);
    expect(report.chains.find((c) => c.chain === FREEZE_CHAIN)).toMatchObject({ ok: false });
  });

  it('catches a whole chain deleted, head and all', async () => {
    const w = await world();
    await w.checkpoint();
    for (const event of await w.events(FREEZE_CHAIN)) {
      await w.api.doc.send(
        new DeleteCommand({ TableName: tableName(w.api), Key: keys.auditEvent(FREEZE_CHAIN, event.seq) }),
      );
    }
    await w.api.doc.send(
      new DeleteCommand({ TableName: tableName(w.api), Key: keys.chainHead(FREEZE_CHAIN) }),
    );
    const report = await w.verify();
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.chain, f.code]).sort()).toEqual([
      [FREEZE_CHAIN, 'chain.missing'],
      [FREEZE_CHAIN, 'checkpoint.missing-chain'],
    ]);
  });

  it('catches an event edited with every later hash and the head recomputed', async () => {
    const w = await world();
    await w.api.call('POST', '/freezes', { body: { ...yearEnd, id: 'second', name: 'Second' } });
    await w.checkpoint();
    const events = await w.events(FREEZE_CHAIN);
    let previousHash = (events[0] as AuditEvent).prevHash;
    const rewritten = events.map((event, i) => {
      const changed = i === 0 ? { ...event, actor: 'mallory' } : event;
      const unsealed = { ...changed, prevHash: previousHash };
      const sealed = { ...unsealed, hash: auditEventHash(unsealed) };
      previousHash = sealed.hash;
      return sealed;
    });
    for (const event of rewritten) {
      await w.api.doc.send(new PutCommand({ TableName: tableName(w.api), Item: auditEventItem(event) }));
    }
    const last = rewritten.at(-1) as AuditEvent;
    await w.api.doc.send(
      new UpdateCommand({
        TableName: tableName(w.api),
        Key: keys.chainHead(FREEZE_CHAIN),
        UpdateExpression: 'SET auditHash = :h',
        ExpressionAttributeValues: { ':h': last.hash },
      }),
    );
    const report = await w.verify();
    expect(report.chains.find((c) => c.chain === FREEZE_CHAIN)?.ok).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({ chain: FREEZE_CHAIN, code: 'checkpoint.rewritten' }),
    ]);
  });

  it('catches a checkpoint file whose digest was edited', async () => {
    const w = await world();
    await w.checkpoint();
    const [name] = await readdir(join(w.dir, 'checkpoints'));
    const file = join(w.dir, 'checkpoints', name as string);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { digest: { chains: { seq: number }[] } };
    stored.digest.chains.pop();
    await chmod(file, 0o644);
    await writeFile(file, JSON.stringify(stored));
    const report = await w.verify();
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'checkpoint.signature' })]);
  });

  it('refuses to sign a trail that does not verify, and registers chains the registry missed', async () => {
    const w = await world();
    // A chain from before the registry: its ChainOpened event removed (the registry's head rewound).
    const registry = await w.events(REGISTRY_CHAIN);
    const devOpened = registry.find((e) => e.subject === 'dev') as AuditEvent;
    expect(devOpened.seq).toBeLessThan((registry.at(-1) as AuditEvent).seq);
    const unregistered = await w.verify();
    expect(unregistered.ok).toBe(true);
    for (const event of registry) {
      await w.api.doc.send(
        new DeleteCommand({ TableName: tableName(w.api), Key: keys.auditEvent(REGISTRY_CHAIN, event.seq) }),
      );
    }
    await w.api.doc.send(
      new DeleteCommand({ TableName: tableName(w.api), Key: keys.chainHead(REGISTRY_CHAIN) }),
    );
    const legacy = await w.verify();
    expect(legacy.ok).toBe(false);
    expect(new Set(legacy.findings.map((f) => f.code))).toEqual(new Set(['chain.unregistered']));
    const taken = await w.checkpoint();
    expect(taken.status, JSON.stringify(taken.json)).toBe(201);
    expect((await w.verify()).ok).toBe(true);

    // Now break a chain: no checkpoint vouches for it.
    const [first] = await w.events('dev');
    await w.api.doc.send(
      new PutCommand({
        TableName: tableName(w.api),
        Item: auditEventItem({ ...(first as AuditEvent), actor: 'x' }),
      }),
    );
    const refused = await w.checkpoint();
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: 'conflict', reason: 'audit.unverified' });
  });

  it('lets only release managers take a checkpoint', async () => {
    const w = await world();
    expect((await w.api.call('POST', '/audit/checkpoints', { as: 'vera' })).status).toBe(403);
  });

  it('answers 503 where no checkpoints are configured, and verifies without one', async () => {
    const w = await world();
    Object.assign(w.api.deps, { checkpoints: undefined });
    expect((await w.api.call('POST', '/audit/checkpoints')).status).toBe(503);
    expect(await w.verify()).toMatchObject({ ok: true, checkpoint: null, checkpointsConfigured: false });
  });
});
