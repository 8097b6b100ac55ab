import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { convoyBundling, entryPath, lockFile, projectRoot } from './bundling.ts';
import { grantTableAccess, type TableAccess } from './table-access.ts';

export type ConvoyLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ConvoyFunctionProps {
  /** Handler file relative to the project root, e.g. `functions/api/health.ts` (export `handler`). */
  entry: string;
  table: ITable;
  /** Table access of this function; `none` for functions that never touch the table. */
  tableAccess: TableAccess | 'none';
  description?: string;
  /** @default 10 seconds (below the HTTP API's 30 s integration limit) */
  timeout?: Duration;
  /** @default 1024 MB */
  memorySize?: number;
  /** @default INFO */
  logLevel?: ConvoyLogLevel;
  /** @default one month */
  logRetention?: RetentionDays;
  /** Extra environment variables (the table name, service name and log level are always set). */
  environment?: Record<string, string>;
}

/**
 * A Convoy Lambda function: Node.js 24 on arm64, bundled by the local esbuild as ESM with source maps,
 * X-Ray tracing, an explicit log group, and its own role holding exactly what it needs (log writes and
 * the table access it declares; no AWS managed policies).
 */
export class ConvoyFunction extends Construct {
  readonly handler: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ConvoyFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      ...(props.description ? { description: props.description } : {}),
    });
    this.logGroup.grantWrite(this.role);
    if (props.tableAccess !== 'none') grantTableAccess(props.table, this.role, props.tableAccess);

    this.handler = new NodejsFunction(this, 'Function', {
      entry: entryPath(props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: lockFile,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      ...(props.description ? { description: props.description } : {}),
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      bundling: convoyBundling,
      environment: {
        ...props.environment,
        CONVOY_TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'convoy',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions (Resource "*"); every other statement of this role is resource-scoped.',
    });
  }
}
