import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { isConvoyError, notFound } from '#domain/core/errors.ts';
import type { BlobStore } from './blob-store.ts';
import type { SnapshotStore } from './ports.ts';

/** Snapshots as content-addressed blobs: the address is snapshotHash(snapshot). */
export class DynamoDbSnapshotStore implements SnapshotStore {
  readonly blobs: BlobStore;

  constructor(blobs: BlobStore) {
    this.blobs = blobs;
  }

  putSnapshot(snapshot: Snapshot): Promise<string> {
    return this.blobs.putJson(snapshot);
  }

  async getSnapshot(hash: string): Promise<Snapshot> {
    try {
      return (await this.blobs.getJson(hash)) as Snapshot;
    } catch (error) {
      if (isConvoyError(error) && error.code === 'not-found') {
        throw notFound(`Snapshot ${hash} is not stored (or not completely).`, { snapshot: hash });
      }
      throw error;
    }
  }
}
