import { emptySnapshot } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { badRequest, ConvoyError } from '#domain/core/errors.ts';
import type { BlobStore } from './blob-store.ts';
import { writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import { newHeadItem, num, str } from './items.ts';
import { GLOBAL_CHAIN, itemTypes, keys } from './keys.ts';
import type { Actor, CatalogStore, StoredCatalog } from './ports.ts';
import type { TableClient } from './table-client.ts';

/**
 * TransactWriteItems takes 100 items: the catalog head, the `_global` chain head and event, and per new
 * environment its HEAD and its `ChainOpened` registry event, plus the registry head (and the registry
 * event of `_global` itself on the first apply).
 */
const MAX_NEW_ENVIRONMENTS = 47;

const stale = (expectedVersion: number, currentVersion: number): ConvoyError =>
  new ConvoyError(
    'conflict',
    `The catalog is at version ${currentVersion}, not ${expectedVersion}; re-read it and apply your change again.`,
    { context: { expectedVersion, currentVersion } },
  );

/**
 * The catalog: a head item `{ version, hash, updatedAt, updatedBy }` pointing at the catalog document,
 * stored as a content-addressed blob.
 */
export class DynamoDbCatalogStore implements CatalogStore {
  readonly table: TableClient;
  readonly blobs: BlobStore;

  constructor(table: TableClient, blobs: BlobStore) {
    this.table = table;
    this.blobs = blobs;
  }

  async getCatalog(): Promise<StoredCatalog | undefined> {
    const head = await this.table.get(keys.catalogHead());
    if (!head) return undefined;
    const hash = str(head, 'hash');
    return {
      catalog: (await this.blobs.getJson(hash)) as Catalog,
      version: num(head, 'version'),
      hash,
      updatedAt: str(head, 'updatedAt'),
      updatedBy: str(head, 'updatedBy'),
    };
  }

  /**
   * Blob first, then ONE transaction: Update catalog head (condition: version = expected, or absent for
   * 0), Put a version-0 HEAD on the empty snapshot for each environment without one (condition: absent),
   * and the `CatalogApplied` event on the `_global` chain with its chain head.
   */
  async putCatalog(catalog: Catalog, expectedVersion: number, actor: Actor): Promise<StoredCatalog> {
    // A stale writer fails before writing anything; the transaction below settles real races.
    const current = await this.table.get(keys.catalogHead());
    const currentVersion = current ? num(current, 'version') : 0;
    if (currentVersion !== expectedVersion) throw stale(expectedVersion, currentVersion);
    const hash = await this.blobs.putJson(catalog);
    const names = [...new Set(catalog.environments.map((e) => e.name))];
    const heads = await Promise.all(names.map((name) => this.table.get(keys.envHead(name))));
    const created = names.filter((_, i) => heads[i] === undefined);
    if (created.length > MAX_NEW_ENVIRONMENTS) {
      throw badRequest(`A catalog may add at most ${MAX_NEW_ENVIRONMENTS} environments at once.`);
    }
    const empty = created.length > 0 ? await this.blobs.putJson(emptySnapshot()) : undefined;
    const version = expectedVersion + 1;
    const stored: StoredCatalog = { catalog, version, hash, updatedAt: actor.at, updatedBy: actor.principal };
    const headUpdate = this.table.updateOp(
      keys.catalogHead(),
      { type: itemTypes.catalogHead, version, hash, updatedAt: actor.at, updatedBy: actor.principal },
      expectedVersion === 0 ? conditions.absent : expr('#version = :expected', { expected: expectedVersion }),
    );
    const newHeads = created.map((name) =>
      this.table.putOp(newHeadItem(name, empty ?? ''), conditions.absent),
    );
    const result = await writeWithChainEvent(
      this.table,
      GLOBAL_CHAIN,
      {
        type: 'CatalogApplied',
        at: actor.at,
        actor: actor.principal,
        subject: 'catalog',
        detail: { version, hash, createdEnvironments: created },
      },
      [headUpdate, ...newHeads],
      created,
    );
    if (result.status === 'committed') return stored;
    const [catalogReason] = result.reasons;
    if (catalogReason?.code === 'ConditionalCheckFailed') {
      const found = catalogReason.item?.version;
      throw stale(expectedVersion, typeof found === 'number' ? found : 0);
    }
    throw new ConvoyError('conflict', 'An environment was created concurrently; retry the request.', {
      context: { expectedVersion },
    });
  }
}
