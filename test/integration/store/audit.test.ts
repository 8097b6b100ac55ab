import { REGISTRY_CHAIN } from '#domain/audit/trail.ts';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import { GLOBAL_CHAIN, keys } from '#store/keys.ts';
import {
  actor,
  catalogOf,
  convoyError,
  createHarness,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from './support.ts';

let h: Harness;

/** Deploy `count` bundles to `env`, one minute apart starting at `start`. */
const deployMany = async (env: string, count: number, start: number): Promise<void> => {
  for (let i = 0; i < count; i += 1) {
    const at = new Date(Date.UTC(2026, 2, 1, 10, start + i)).toISOString();
    const head = await requireHead(h.store, env);
    await h.store.environments.commit(
      await prepareDeploy(
        h.store,
        head,
        sealedBundle(`${env}-b${i}`, '1', { [`payments.${env}.k${i}`]: i }),
        { at },
      ),
    );
  }
};

beforeAll(async () => {
  h = await createHarness('store-audit');
  await h.store.catalogs.putCatalog(
    catalogOf(['dev', 'staging', 'tamper', 'truncate']),
    0,
    actor('olivia', '2026-03-01T09:00:00.000Z'),
  );
  await deployMany('dev', 3, 0); // 10:00, 10:01, 10:02
  await deployMany('staging', 2, 30); // 10:30, 10:31
});
afterAll(async () => {
  await h.table.drop();
});

describe('AuditStore', () => {
  it('lists one chain in sequence order, filtered by time', async () => {
    const all = await h.store.audit.listEvents({ chain: 'dev' });
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    const later = await h.store.audit.listEvents({ chain: 'dev', from: '2026-03-01T10:01:00Z' });
    expect(later.map((e) => e.seq)).toEqual([2, 3]);
    const window = await h.store.audit.listEvents({
      chain: 'dev',
      from: '2026-03-01T10:01:00Z',
      to: '2026-03-01T10:01:00Z',
    });
    expect(window.map((e) => e.seq)).toEqual([2]);
    expect(
      await h.store.audit.listEvents({
        chain: 'dev',
        from: '2026-03-02T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
      }),
    ).toEqual([]);
  });

  it('lists every chain by time, oldest first, in pages', async () => {
    const all = await h.store.audit.listEvents({});
    // The registry opens each chain in the transaction that creates it (lib/domain/audit/trail.ts).
    expect(all.filter((e) => e.chain === REGISTRY_CHAIN).map((e) => e.subject)).toEqual(
      expect.arrayContaining([GLOBAL_CHAIN, 'dev', 'staging']),
    );
    expect(all.filter((e) => e.chain !== REGISTRY_CHAIN).map((e) => `${e.chain}:${e.seq}`)).toEqual([
      `${GLOBAL_CHAIN}:1`,
      'dev:1',
      'dev:2',
      'dev:3',
      'staging:1',
      'staging:2',
    ]);
    const first = await h.store.audit.pageEvents({ limit: 4 });
    expect(first.events).toEqual(all.slice(0, 4));
    expect(first.next).toBeDefined();
    const second = await h.store.audit.pageEvents({ limit: all.length, after: first.next });
    expect(second.events).toEqual(all.slice(4));
    const byTime = await h.store.audit.listEvents({
      from: '2026-03-01T10:02:00+00:00',
      to: '2026-03-01T11:31:00+01:00',
    });
    expect(byTime.filter((e) => e.chain !== REGISTRY_CHAIN).map((e) => `${e.chain}:${e.seq}`)).toEqual([
      'dev:3',
      'staging:1',
      'staging:2',
    ]);
    expect((await convoyError(h.store.audit.pageEvents({ after: 'garbage' }))).code).toBe('bad-request');
    expect((await convoyError(h.store.audit.listEvents({ from: 'yesterday' }))).code).toBe('bad-request');
  });

  it('pages one chain with a cursor', async () => {
    const page = await h.store.audit.pageEvents({ chain: 'dev', limit: 2 });
    expect(page.events.map((e) => e.seq)).toEqual([1, 2]);
    const rest = await h.store.audit.pageEvents({ chain: 'dev', limit: 2, after: page.next });
    expect(rest.events.map((e) => e.seq)).toEqual([3]);
    expect(rest.next).toBeUndefined();
    expect((await convoyError(h.store.audit.pageEvents({ chain: 'staging', after: page.next }))).code).toBe(
      'bad-request',
    );
  });

  it('lists every chain with the position its head records, and every chain verifies', async () => {
    const chains = await h.store.audit.listChains();
    expect(chains.map((c) => c.chain).sort()).toEqual(
      [REGISTRY_CHAIN, GLOBAL_CHAIN, 'dev', 'staging', 'tamper', 'truncate'].sort(),
    );
    for (const { chain, head } of chains) {
      expect(verifyChain(chain, await h.store.audit.listEvents({ chain }), head).ok).toBe(true);
    }
  });

  it('names the edited event when an audit item is changed directly in the table', async () => {
    await deployMany('tamper', 3, 40);
    await h.table.doc.send(
      new UpdateCommand({
        TableName: h.table.tableName,
        Key: keys.auditEvent('tamper', 2),
        UpdateExpression: 'SET #detail = :detail',
        ExpressionAttributeNames: { '#detail': 'detail' },
        ExpressionAttributeValues: { ':detail': JSON.stringify({ bundle: 'innocent@1' }) },
      }),
    );
    const head = await requireHead(h.store, 'tamper');
    const verdict = verifyChain('tamper', await h.store.audit.listEvents({ chain: 'tamper' }), head.audit);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBad?.seq).toBe(2);
  });

  it('notices a deleted newest event through the position HEAD records', async () => {
    await deployMany('truncate', 3, 50);
    await h.table.doc.send(
      new DeleteCommand({ TableName: h.table.tableName, Key: keys.auditEvent('truncate', 3) }),
    );
    const events = await h.store.audit.listEvents({ chain: 'truncate' });
    expect(verifyChain('truncate', events).ok).toBe(true);
    const verdict = verifyChain('truncate', events, (await requireHead(h.store, 'truncate')).audit);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBad?.seq).toBe(3);
  });

  it('appends to a non-environment chain, one event per position under concurrency', async () => {
    const drafts = Array.from({ length: 8 }, (_, i) => ({
      type: 'FreezeCreated',
      at: `2026-03-02T00:00:0${i}.000Z`,
      actor: 'olivia',
      subject: `freeze-${i}`,
      detail: { i },
    }));
    const events = await Promise.all(drafts.map((d) => h.store.audit.append('_freezes', d)));
    expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const chain = await h.store.audit.listEvents({ chain: '_freezes' });
    const head = (await h.store.audit.listChains()).find((c) => c.chain === '_freezes')?.head;
    expect(verifyChain('_freezes', chain, head)).toEqual({ chain: '_freezes', ok: true, checked: 8 });
    await expect(h.store.audit.append('dev', drafts[0]!)).rejects.toThrow(TypeError);
  });
});
