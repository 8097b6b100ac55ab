import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '#store/table.ts';

export interface ConvoyTableProps {
  /** Physical name; by default CloudFormation generates one and functions get it from the environment. */
  tableName?: string;
}

/**
 * The one Convoy table, built from `tableDefinition` (lib/store/table.ts) so that keys, the index, the
 * TTL attribute and the stream view exist in one place only. It holds the audit trail, so it is
 * retained and protected against deletion.
 */
export class ConvoyTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ConvoyTableProps = {}) {
    super(scope, id);
    const string = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      ...(props.tableName ? { tableName: props.tableName } : {}),
      partitionKey: string(tableDefinition.partitionKey),
      sortKey: string(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType[tableDefinition.streamView],
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableDefinition.gsi1.indexName,
      partitionKey: string(tableDefinition.gsi1.partitionKey),
      sortKey: string(tableDefinition.gsi1.sortKey),
    });
  }
}
