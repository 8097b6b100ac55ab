import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BlobStore } from './blob-store.ts';
import { DynamoDbAuditStore } from './dynamodb-audit-store.ts';
import { DynamoDbBundleStore } from './dynamodb-bundle-store.ts';
import { DynamoDbCatalogStore } from './dynamodb-catalog-store.ts';
import { DynamoDbEnvironmentStore } from './dynamodb-environment-store.ts';
import { DynamoDbFlagMetricsStore } from './dynamodb-flag-metrics-store.ts';
import { DynamoDbFreezeStore } from './dynamodb-freeze-store.ts';
import { DynamoDbReleaseStore } from './dynamodb-release-store.ts';
import { DynamoDbOverrideStore } from './dynamodb-override-store.ts';
import { DynamoDbRolloutStore } from './dynamodb-rollout-store.ts';
import { DynamoDbSnapshotStore } from './dynamodb-snapshot-store.ts';
import type { ConvoyStore } from './ports.ts';
import { TableClient } from './table-client.ts';

/** Every repository of Convoy over one DynamoDB table. */
export const createConvoyStore = (options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
}): ConvoyStore => {
  const table = new TableClient(options);
  const blobs = new BlobStore(table);
  return {
    catalogs: new DynamoDbCatalogStore(table, blobs),
    bundles: new DynamoDbBundleStore(table, blobs),
    snapshots: new DynamoDbSnapshotStore(blobs),
    environments: new DynamoDbEnvironmentStore(table),
    audit: new DynamoDbAuditStore(table),
    freezes: new DynamoDbFreezeStore(table),
    overrides: new DynamoDbOverrideStore(table),
    rollouts: new DynamoDbRolloutStore(table),
    releases: new DynamoDbReleaseStore(table),
    flagMetrics: new DynamoDbFlagMetricsStore(table),
  };
};
