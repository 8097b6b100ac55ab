import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { checkpointEnv } from '#integrations/aws-checkpoints.ts';
import type { ConvoyFunction } from './convoy-function.ts';

export interface AuditCheckpointsProps {
  /** The scheduled function that takes a checkpoint every hour. */
  checkpointFunction: ConvoyFunction;
  /** Functions that verify the trail against the checkpoints (and may take one on demand). */
  auditFunctions: readonly ConvoyFunction[];
  /** How long a checkpoint cannot be deleted or overwritten. @default 365 days */
  retention?: Duration;
}

/**
 * Signed audit checkpoints, in the manner of CloudTrail's digest files: an asymmetric KMS key signs a
 * digest of every chain head, and an S3 bucket with Object Lock in compliance mode keeps each one
 * write-once for the retention period. Both are retained when the stack goes.
 */
export class AuditCheckpoints extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AuditCheckpointsProps) {
    super(scope, id);
    this.key = new Key(this, 'SigningKey', {
      description: 'Convoy audit checkpoints: signs digests of the audit chain heads',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(props.retention ?? Duration.days(365)),
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Checkpoints are written only by the checkpoint and audit functions, are signed, and Object Lock ' +
        'keeps them unchanged; server access logs would need a second, unlocked bucket.',
    });

    for (const fn of [props.checkpointFunction, ...props.auditFunctions]) this.grantCheckpoints(fn);
    new Rule(this, 'Hourly', {
      description: 'Convoy: sign an audit checkpoint every hour',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(props.checkpointFunction.handler, { retryAttempts: 2 })],
    });
  }

  /** Sign, verify, write (never delete) and read checkpoints; the function learns where. */
  private grantCheckpoints(fn: ConvoyFunction): void {
    fn.handler.addEnvironment(checkpointEnv.bucket, this.bucket.bucketName);
    fn.handler.addEnvironment(checkpointEnv.keyId, this.key.keyArn);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:Sign', 'kms:Verify'], resources: [this.key.keyArn] }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('checkpoints/*')],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/checkpoints/*]`,
      reason:
        'Each checkpoint is a new object named by its time and hash under checkpoints/; Put and Get only, ' +
        'never Delete, and Object Lock keeps every written object unchanged for the retention period.',
    });
  }
}
