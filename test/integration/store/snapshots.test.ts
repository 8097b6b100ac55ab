import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotHash, type Snapshot } from '#domain/bundles/snapshot.ts';
import { BLOB_CHUNK_BYTES } from '#store/blob-store.ts';
import { itemTypes, keys } from '#store/keys.ts';
import { convoyError, crashOn, createHarness, itemsOfType, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-snap');
});
afterAll(async () => {
  await h.table.drop();
});

/** A realistic large environment: 10,000 parameters of mixed types, some with references. */
const bigSnapshot = (salt: string): Snapshot => {
  const values: Snapshot['values'] = {};
  for (let i = 0; i < 10_000; i += 1) {
    const ns = ['payments', 'identity', 'search', 'catalog'][i % 4] ?? 'payments';
    const key = `${ns}.service${Math.floor(i / 100)}.parameter${i}`;
    values[key] =
      i % 5 === 0
        ? { retries: i % 7, backoff: `PT${i % 60}S`, hosts: [`h${i}.example.com`, `h${i + 1}.example.com`] }
        : i % 5 === 1
          ? `\${${ns}.service0.parameter0}-${salt}-é✓`
          : i % 5 === 2
            ? i * 1.5
            : i % 5 === 3
              ? i % 2 === 0
              : `value ${i} ${salt}`;
  }
  return { values, bundles: [{ name: 'big-bang', version: '1', hash: 'a'.repeat(64) }] };
};

const chunksOf = (hash: string) => itemsOfType(h.table, itemTypes.blobChunk, keys.blobPartition(hash));

describe('SnapshotStore', () => {
  it('round-trips a 10,000-parameter snapshot chunked across several items, hash verified', async () => {
    const snapshot = bigSnapshot('one');
    const hash = await h.store.snapshots.putSnapshot(snapshot);
    expect(hash).toBe(snapshotHash(snapshot));
    const chunks = await chunksOf(hash);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect((chunk.data as Uint8Array).length).toBeLessThanOrEqual(BLOB_CHUNK_BYTES);
    }

    const read = await h.store.snapshots.getSnapshot(hash);
    expect(read).toEqual(snapshot);
    expect(snapshotHash(read)).toBe(hash);
    // Same content, same address: writing it again is a no-op.
    const before = await h.table.dump();
    expect(await h.store.snapshots.putSnapshot(bigSnapshot('one'))).toBe(hash);
    expect(await h.table.dump()).toEqual(before);
  });

  it('reads a document once per store, then from its cache, and hands out fresh copies', async () => {
    const snapshot = bigSnapshot('cached');
    const hash = await h.store.snapshots.putSnapshot(snapshot);
    const store = h.storeWith(h.table.doc);
    let requests = 0;
    h.table.doc.middlewareStack.add(
      (next) => (args) => {
        requests += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countBlobReads' },
    );
    try {
      const first = await store.snapshots.getSnapshot(hash);
      expect(requests).toBe(2); // the manifest, then the chunks
      first.values['payments.service0.parameter0'] = 'changed by the caller';
      const again = await store.snapshots.getSnapshot(hash);
      expect(requests).toBe(2);
      expect(again).toEqual(snapshot);
      // An address never names other bytes, so a miss is still a miss (nothing negative is cached).
      await convoyError(store.snapshots.getSnapshot('e'.repeat(64)));
      await convoyError(store.snapshots.getSnapshot('e'.repeat(64)));
      expect(requests).toBe(4);
    } finally {
      h.table.doc.middlewareStack.remove('countBlobReads');
    }
  });

  it('answers not-found for an unknown or malformed address', async () => {
    const unknown = await convoyError(h.store.snapshots.getSnapshot('f'.repeat(64)));
    expect(unknown.code).toBe('not-found');
    expect((await convoyError(h.store.snapshots.getSnapshot('../etc/passwd'))).code).toBe('not-found');
  });

  it('keeps a blob invisible when a crash interrupts it before the manifest, and completes it on retry', async () => {
    const snapshot = bigSnapshot('two');
    const hash = snapshotHash(snapshot);
    const crashing = h.freshClient();
    crashOn(crashing, 'PutItemCommand', (input) => JSON.stringify(input).includes('"MANIFEST"'));
    const error = await convoyError(h.storeWith(crashing).snapshots.putSnapshot(snapshot));
    expect(error.code).toBe('unavailable');
    crashing.destroy();

    expect((await chunksOf(hash)).length).toBeGreaterThan(0);
    expect(await itemsOfType(h.table, itemTypes.blobManifest, keys.blobPartition(hash))).toEqual([]);
    expect((await convoyError(h.store.snapshots.getSnapshot(hash))).code).toBe('not-found');

    expect(await h.store.snapshots.putSnapshot(snapshot)).toBe(hash);
    expect(await h.store.snapshots.getSnapshot(hash)).toEqual(snapshot);
  });

  it('refuses content that no longer matches its hash, without leaking details', async () => {
    const snapshot = { values: { 'payments.checkout.timeoutMs': 2500 }, bundles: [] };
    const hash = await h.store.snapshots.putSnapshot(snapshot);
    await h.table.doc.send(
      new UpdateCommand({
        TableName: h.table.tableName,
        Key: keys.blobChunk(hash, 0),
        UpdateExpression: 'SET #data = :data',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: {
          ':data': Buffer.from('{"bundles":[],"values":{"payments.checkout.timeoutMs":1}}'),
        },
      }),
    );
    const error = await convoyError(h.store.snapshots.getSnapshot(hash));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain(hash);
  });
});
