import { conflict } from '#domain/core/errors.ts';
import { contentHash } from '#domain/core/json.ts';
import type { ReleaseManifest } from '#domain/releases/manifest.ts';
import {
  releaseApprovedEvent,
  releaseDefinedEvent,
  releaseSignedOffEvent,
} from '#domain/releases/release-events.ts';
import type { Approval, Signoff } from '#domain/releases/signoff.ts';
import { writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import { str } from './items.ts';
import { itemTypes, keys, RELEASE_CHAIN } from './keys.ts';
import type { Actor, ReleaseSignoffRecord, ReleaseStore, StoredManifest } from './ports.ts';
import type { Item, TableClient } from './table-client.ts';

const manifestFromItem = (item: Item): StoredManifest => ({
  manifest: JSON.parse(str(item, 'manifest')) as ReleaseManifest,
  hash: str(item, 'hash'),
  definedAt: str(item, 'definedAt'),
  definedBy: str(item, 'definedBy'),
});

const isSignoff = (record: ReleaseSignoffRecord): record is Signoff => 'team' in record;

/**
 * Release manifests (one `RELEASES` partition) and sign-offs (`RELEASE-SIGNOFFS#<release>`, one item
 * per sign-off, never overwritten), each written with its audit event on the `_release` chain in one
 * transaction. Nothing derived (readiness, validity of a sign-off) is stored.
 */
export class DynamoDbReleaseStore implements ReleaseStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async putManifest(
    manifest: ReleaseManifest,
    actor: Actor,
  ): Promise<{ created: boolean; changed: boolean }> {
    const key = keys.releaseManifest(manifest.name);
    const old = await this.table.get(key);
    const hash = contentHash(manifest);
    if (old?.hash === hash) return { created: false, changed: false };
    const item: Item = {
      ...key,
      type: itemTypes.releaseManifest,
      name: manifest.name,
      hash,
      manifest: JSON.stringify(manifest),
      definedAt: actor.at,
      definedBy: actor.principal,
    };
    const condition = old === undefined ? conditions.absent : expr('#hash = :old', { old: old.hash });
    const result = await writeWithChainEvent(
      this.table,
      RELEASE_CHAIN,
      releaseDefinedEvent(manifest, actor.principal, actor.at),
      [this.table.putOp(item, condition)],
    );
    if (result.status === 'rejected') {
      throw conflict(`Release ${manifest.name} was defined concurrently; re-read and retry.`);
    }
    return { created: old === undefined, changed: true };
  }

  async getManifest(name: string): Promise<StoredManifest | undefined> {
    const item = await this.table.get(keys.releaseManifest(name));
    return item && manifestFromItem(item);
  }

  async listManifests(): Promise<StoredManifest[]> {
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.releaseManifestPartition,
        prefix: keys.releaseManifestPrefix,
      }),
    });
    return items.map(manifestFromItem);
  }

  async addSignoff(record: ReleaseSignoffRecord): Promise<void> {
    const who = isSignoff(record)
      ? `team:${record.team}:${record.principal}`
      : `approval:${record.principal}`;
    const item: Item = {
      ...keys.releaseSignoff(record.release, record.at, who),
      type: itemTypes.releaseSignoff,
      record: JSON.stringify(record),
    };
    const draft = isSignoff(record) ? releaseSignedOffEvent(record) : releaseApprovedEvent(record);
    const result = await writeWithChainEvent(this.table, RELEASE_CHAIN, draft, [
      this.table.putOp(item, conditions.absent),
    ]);
    if (result.status === 'rejected') {
      throw conflict(`${record.principal} already signed ${record.release} off at ${record.at}.`);
    }
  }

  async listSignoffs(release: string): Promise<{ signoffs: Signoff[]; approvals: Approval[] }> {
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.releaseSignoffPartition(release),
        prefix: keys.releaseSignoffPrefix,
      }),
    });
    const records = items.map((item) => JSON.parse(str(item, 'record')) as ReleaseSignoffRecord);
    return {
      signoffs: records.filter(isSignoff),
      approvals: records.filter((r): r is Approval => !isSignoff(r)),
    };
  }
}
