import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthConvoy } from './support/convoy-app.ts';

describe('audit checkpoints in the stack', () => {
  let template: Template;
  beforeAll(() => {
    template = synthConvoy().template;
  });

  it('signs with an asymmetric KMS key that is kept when the stack goes', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
    });
  });

  it('keeps checkpoints in a private bucket with Object Lock in compliance mode', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('takes one every hour through the checkpoint function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^auditcheckpointFunction'), 'Arn'] },
        }),
      ],
    });
  });

  it('tells the checkpoint and audit functions where, and lets them sign, verify, write and read, never delete', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: {
        Environment: {
          Variables: Match.objectLike({
            CONVOY_CHECKPOINT_BUCKET: Match.anyValue(),
            CONVOY_CHECKPOINT_KEY_ID: Match.anyValue(),
          }),
        },
      },
    });
    const descriptions = Object.values(functions).map(
      (f) => (f as { Properties: { Description: string } }).Properties.Description,
    );
    expect(descriptions.sort()).toEqual([
      'Convoy API: audit routes',
      'Convoy scheduled: sign an audit checkpoint (KMS) into the Object Lock bucket',
    ]);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('kms:Sign');
    expect(policies).toContain('kms:Verify');
    expect(policies).not.toContain('s3:DeleteObject');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:PutObject', 's3:GetObject'],
            Resource: {
              'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }), '/checkpoints/*']],
            },
          }),
        ]),
      },
    });
  });
});
