import type { BundleSummary, SealedBundle } from '#domain/bundles/bundle.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { problem } from '#domain/core/problem.ts';
import type { BlobStore } from './blob-store.ts';
import { writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import { num, str } from './items.ts';
import { GLOBAL_CHAIN, itemTypes, keys } from './keys.ts';
import type { Actor, BundleStore, StoredBundle } from './ports.ts';
import type { Item, TableClient } from './table-client.ts';

const PARALLEL_READS = 8;

const summaryOf = (item: Item): BundleSummary => ({
  name: str(item, 'name'),
  version: str(item, 'version'),
  release: str(item, 'release'),
  team: str(item, 'team'),
  hash: str(item, 'hash'),
  changes: num(item, 'changes'),
  pushedAt: str(item, 'pushedAt'),
  pushedBy: str(item, 'pushedBy'),
});

const immutable = (summary: BundleSummary, pushedHash: string): ConvoyError =>
  new ConvoyError(
    'conflict',
    `Bundle ${summary.name}@${summary.version} was already pushed with hash ${summary.hash}; this content has ` +
      `hash ${pushedHash}. A pushed version never changes: publish the change under a new version.`,
    {
      context: {
        bundle: `${summary.name}@${summary.version}`,
        reason: 'bundle.immutable',
        existingHash: summary.hash,
        pushedHash,
      },
    },
  );

const nameTaken = (name: string, version: string, owner: string, team: string): ConvoyError =>
  new ConvoyError(
    'forbidden',
    `Bundle name ${name} belongs to team ${owner}, which first pushed it; team ${team} may not push ` +
      `${name}@${version}. Choose a name of your own.`,
    {
      context: { bundle: `${name}@${version}`, owner, team },
      problems: [
        problem('bundle.name-owned', `belongs to team ${owner}, which first pushed a bundle named ${name}`, {
          path: 'name',
        }),
      ],
    },
  );

/**
 * Bundles: an item per name@version with the summary, the by-release gsi1 keys and `document` (the
 * blob address of the full sealed document), plus a listing entry in the `BUNDLES` partition.
 */
export class DynamoDbBundleStore implements BundleStore {
  readonly table: TableClient;
  readonly blobs: BlobStore;

  constructor(table: TableClient, blobs: BlobStore) {
    this.table = table;
    this.blobs = blobs;
  }

  /**
   * The team a bundle name belongs to: its owner item, or for a name pushed before names had owners,
   * the team of a stored version; undefined for a new name.
   */
  private async ownerOf(name: string): Promise<string | undefined> {
    const owner = await this.table.get(keys.bundleOwner(name));
    if (owner) return str(owner, 'team');
    const { items } = await this.table.query(
      { keyCondition: expr('#pk = :pk', { pk: keys.bundlePartition(name) }) },
      1,
    );
    return items[0] && str(items[0], 'team');
  }

  /**
   * Owner check, blob, then ONE transaction: Put bundle + listing entry (absent) + Update of the name's
   * owner item (condition: absent or this team) + `BundlePushed` on `_global`. A name belongs to the
   * team that first pushed it: another team is refused before anything is written, and the owner
   * item's condition settles two teams racing for a new name (the loser's blob, content-addressed and
   * unreferenced, is all it leaves).
   */
  async putBundle(sealed: SealedBundle, actor: Actor): Promise<{ created: boolean; summary: BundleSummary }> {
    const { name, version, release, team } = sealed.bundle;
    const owner = await this.ownerOf(name);
    if (owner !== undefined && owner !== team) throw nameTaken(name, version, owner, team);
    const existing = await this.table.get(keys.bundle(name, version));
    if (existing) return this.samePush(summaryOf(existing), sealed.hash);
    const document = await this.blobs.putJson(sealed);
    const summary: BundleSummary = {
      name,
      version,
      release,
      team,
      hash: sealed.hash,
      changes: sealed.bundle.changes.length,
      pushedAt: actor.at,
      pushedBy: actor.principal,
    };
    const result = await writeWithChainEvent(
      this.table,
      GLOBAL_CHAIN,
      {
        type: 'BundlePushed',
        at: actor.at,
        actor: actor.principal,
        subject: `${name}@${version}`,
        detail: { name, version, release, team, hash: sealed.hash, changes: summary.changes },
      },
      [
        this.table.putOp(
          {
            ...keys.bundle(name, version),
            ...keys.bundleByRelease(release, name, version),
            type: itemTypes.bundle,
            ...summary,
            document,
          },
          conditions.absent,
        ),
        this.table.putOp(
          { ...keys.bundleListEntry(name, version), type: itemTypes.bundleEntry, ...summary },
          conditions.absent,
        ),
        this.table.updateOp(
          keys.bundleOwner(name),
          { type: itemTypes.bundleOwner, name, team },
          expr('attribute_not_exists(#pk) OR #team = :team', { team }),
        ),
      ],
    );
    if (result.status === 'committed') return { created: true, summary };
    const claimed = result.reasons[2]?.code === 'ConditionalCheckFailed' ? result.reasons[2].item : undefined;
    if (claimed) throw nameTaken(name, version, str(claimed, 'team'), team);
    const winner = result.reasons[0]?.item ?? (await this.table.get(keys.bundle(name, version)));
    if (!winner) {
      throw new ConvoyError('conflict', `Bundle ${name}@${version} is being pushed concurrently; retry.`);
    }
    return this.samePush(summaryOf(winner), sealed.hash);
  }

  private samePush(
    existing: BundleSummary,
    pushedHash: string,
  ): { created: boolean; summary: BundleSummary } {
    if (existing.hash !== pushedHash) throw immutable(existing, pushedHash);
    return { created: false, summary: existing };
  }

  async getBundle(name: string, version: string): Promise<StoredBundle | undefined> {
    const item = await this.table.get(keys.bundle(name, version));
    if (!item) return undefined;
    return { ...summaryOf(item), sealed: (await this.blobs.getJson(str(item, 'document'))) as SealedBundle };
  }

  async listBundles(filter: { release?: string; name?: string } = {}): Promise<BundleSummary[]> {
    const { release, name } = filter;
    const { items } = await this.table.query(
      release !== undefined
        ? {
            index: 'gsi1',
            keyCondition:
              name === undefined
                ? expr('#gsi1pk = :pk', { pk: keys.releasePartition(release) })
                : expr('#gsi1pk = :pk AND begins_with(#gsi1sk, :prefix)', {
                    pk: keys.releasePartition(release),
                    prefix: `${name}@`,
                  }),
          }
        : name !== undefined
          ? { keyCondition: expr('#pk = :pk', { pk: keys.bundlePartition(name) }) }
          : { keyCondition: expr('#pk = :pk', { pk: keys.bundleListPartition }) },
    );
    return items.map(summaryOf);
  }

  async releaseBundles(release: string): Promise<SealedBundle[]> {
    const { items } = await this.table.query({
      index: 'gsi1',
      keyCondition: expr('#gsi1pk = :pk', { pk: keys.releasePartition(release) }),
    });
    const documents = items.map((item) => str(item, 'document'));
    const sealed: SealedBundle[] = new Array<SealedBundle>(documents.length);
    let next = 0;
    const reader = async (): Promise<void> => {
      for (let i = next++; i < documents.length; i = next++) {
        sealed[i] = (await this.blobs.getJson(documents[i] ?? '')) as SealedBundle;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, documents.length) }, reader));
    return sealed;
  }
}
