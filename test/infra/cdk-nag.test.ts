import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, test } from 'vitest';
import { ConvoyStack } from '#infra/convoy-stack.ts';
import { skipBundling, synthConvoy } from './support/convoy-app.ts';

/** Every acknowledgment recorded with Validations.of(...).acknowledge, by construct path. */
const acknowledgments = (root: IConstruct) =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('cdk-nag AwsSolutions', () => {
  test('reports no error and no warning', () => {
    const { app } = synthConvoy();
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(report.violations.filter((v) => v.severity === 'warning')).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('with the dashboard hosted (the `dashboard` prop): still no error and no warning', () => {
    const { app, stack } = synthConvoy({ dashboard: {} });
    expect(stack.dashboard).toBeDefined();
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.filter((v) => v.severity !== 'info')).toEqual([]);
    // The dashboard's acknowledgments stay where they arise: its distribution and the
    // CDK's bucket-deployment function (checked one by one in test/infra/dashboard-hosting.test.ts).
    const dashboard = stack.dashboard!;
    const deploymentFunction = dashboard.deployment.handlerRole.node.scope!.node.path;
    const paths = new Set(acknowledgments(app).map((a) => a.path));
    for (const path of [
      dashboard.distribution.node.path,
      dashboard.deployment.handlerRole.node.path,
      deploymentFunction,
    ])
      expect(paths).toContain(path);
  });

  /** An app like bin/convoy.ts: cdk-nag registered as a policy-validation plugin. */
  const checkedApp = () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'convoy-cdk-'));
    outdirs.push(outdir);
    const app = new App({ context: skipBundling, outdir });
    const stack = new ConvoyStack(app, 'Convoy');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return { app, stack };
  };

  test('runs as a validation plugin during synth without failing it', () => {
    const { app } = checkedApp();
    const assembly = app.synth();
    expect(assembly.getStackByName('Convoy').template).toHaveProperty('Resources');
  });

  test('fails the synth on an unacknowledged finding', () => {
    const { app, stack } = checkedApp();
    new Queue(stack, 'PlainQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  test('acknowledges only specific findings on specific resources, each with a justification', () => {
    const { app, stack } = synthConvoy();
    const acks = acknowledgments(app);
    const schedules = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stack.freezeScheduling.group.scheduleGroupName}/convoy-freeze-*`;
    const executions =
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:Convoy-override-approval:*';
    const alarms = 'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*';
    const checkpoints = `<${stack.getLogicalId(stack.auditCheckpoints.bucket.node.defaultChild as CfnBucket)}.Arn>/checkpoints/*`;
    const rolloutExecutions =
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:Convoy-progressive-rollout:*';
    expect(new Set(acks.map((a) => a.id))).toEqual(
      new Set([
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-SQS3',
        `AwsSolutions-IAM5[Resource::${schedules}]`,
        `AwsSolutions-IAM5[Resource::${executions}]`,
        `AwsSolutions-IAM5[Resource::${alarms}]`,
        `AwsSolutions-IAM5[Resource::${rolloutExecutions}]`,
        // AppConfig publication: where exactly is asserted in test/infra/appconfig.test.ts.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appconfig:<AWS::Region>:<AWS::AccountId>:application/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appconfig:<AWS::Region>:<AWS::AccountId>:deploymentstrategy/*]',
        `AwsSolutions-IAM5[Resource::${checkpoints}]`,
        'AwsSolutions-S1',
      ]),
    );
    // The run-time-named resources are acknowledged exactly where they are granted.
    const where = (id: string) =>
      acks
        .filter((a) => a.id === id)
        .map((a) => a.path)
        .sort();
    expect(where(`AwsSolutions-IAM5[Resource::${schedules}]`)).toEqual(
      [
        stack.functions.get('api-freezes')!.role.node.path,
        stack.functions.get('freeze-activation')!.role.node.path,
      ].sort(),
    );
    expect(where(`AwsSolutions-IAM5[Resource::${executions}]`)).toEqual([
      stack.functions.get('api-overrides')!.role.node.path,
    ]);
    expect(where(`AwsSolutions-IAM5[Resource::${rolloutExecutions}]`)).toEqual(
      [
        stack.functions.get('api-rollouts')!.role.node.path,
        stack.functions.get('pipeline-rollout-action')!.role.node.path,
        stack.functions.get('rollout-execution-ended')!.role.node.path,
      ].sort(),
    );
    expect(where(`AwsSolutions-IAM5[Resource::${alarms}]`)).toEqual([
      stack.progressiveRollout.stateMachine.role.node.path,
    ]);
    expect(where(`AwsSolutions-IAM5[Resource::${checkpoints}]`)).toEqual(
      [
        stack.functions.get('api-audit')!.role.node.path,
        stack.functions.get('audit-checkpoint')!.role.node.path,
      ].sort(),
    );
    expect(where('AwsSolutions-S1')).toEqual([stack.auditCheckpoints.bucket.node.path]);
    for (const ack of acks) {
      expect(ack.path, 'no stack- or app-level acknowledgment').not.toBe(stack.node.path);
      expect(ack.path).not.toBe(app.node.path);
      expect(ack.reason.length, ack.path).toBeGreaterThan(80);
    }
    const paths = [...new Set(acks.map((a) => a.path))].sort();
    expect(paths).toEqual(
      [
        ...[...stack.functions.values()].map((fn) => fn.role.node.path),
        stack.overrideApproval.stateMachine.role.node.path,
        stack.progressiveRollout.stateMachine.role.node.path,
        stack.auditPipe.deadLetterQueue.node.path,
        stack.auditCheckpoints.bucket.node.path,
      ].sort(),
    );
  });

  test('every acknowledgment still matches a real finding (none is stale)', () => {
    const { app } = synthConvoy();
    const unacknowledged = new AwsSolutionsChecks(app);
    // Re-run the pack as if nothing were acknowledged: the findings must be exactly the acknowledged ones.
    Object.assign(unacknowledged, { isAcknowledged: () => false });
    const findings = unacknowledged
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .sort();
    const expected = acknowledgments(app)
      .map((a) =>
        a.id === 'AwsSolutions-SQS3' || a.id === 'AwsSolutions-S1'
          ? `${a.id} ${a.path}/Resource`
          : `${a.id} ${a.path}/DefaultPolicy/Resource`,
      )
      .sort();
    expect(findings).toEqual(expected);
  });
});
