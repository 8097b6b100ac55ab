import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { auditDetailType, auditEventSource, auditStreamFilterPattern } from '#store/audit-stream.ts';

/** Only new audit items leave the table (see lib/store/audit-stream.ts). */
export const auditFilterPattern = auditStreamFilterPattern;

/**
 * The event detail: the stream record's identity and the stored audit item as written (DynamoDB JSON),
 * so a consumer can re-check the hash chain from exactly what was committed.
 */
export const auditInputTemplate =
  '{"eventId":"<$.eventID>","sequenceNumber":"<$.dynamodb.SequenceNumber>",' +
  '"keys":<$.dynamodb.Keys>,"item":<$.dynamodb.NewImage>}';

export interface AuditPipeProps {
  /** The table; it must have a stream. */
  table: ITable;
  eventBus: IEventBus;
  /** @default 10 */
  maximumRetryAttempts?: number;
}

/**
 * The transactional outbox's relay: an EventBridge Pipe from the table stream to the audit bus. Batches
 * that keep failing are bisected and their records end in an encrypted dead-letter queue.
 */
export class AuditPipe extends Construct {
  readonly pipe: CfnPipe;
  readonly role: Role;
  readonly deadLetterQueue: Queue;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AuditPipeProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('AuditPipe needs a table with a stream');

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      description: 'Convoy audit pipe: reads the table stream, puts events on the audit bus',
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        resources: [streamArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    this.logGroup.grantWrite(this.role);

    this.pipe = new CfnPipe(this, 'Pipe', {
      description: 'Convoy audit outbox: table stream (audit INSERTs) to the convoy-audit bus',
      roleArn: this.role.roleArn,
      desiredState: 'RUNNING',
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumRetryAttempts: props.maximumRetryAttempts ?? 10,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(auditFilterPattern) }] },
      },
      target: props.eventBus.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: {
          source: auditEventSource,
          detailType: auditDetailType,
          resources: [props.table.tableArn],
        },
        inputTemplate: auditInputTemplate,
      },
      logConfiguration: {
        level: 'ERROR',
        cloudwatchLogsLogDestination: { logGroupArn: this.logGroup.logGroupArn },
      },
    });
    // The pipe validates its role on creation: create it after the role's policy.
    this.pipe.node.addDependency(this.role);

    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the audit pipe's dead-letter queue (Pipes DeadLetterConfig, which cdk-nag " +
        'does not recognise); a dead-letter queue for a dead-letter queue would have no consumer.',
    });
  }
}
