import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { projectRoot } from './bundling.ts';

/** The workflow's ASL file (the embedded runtime runs the same file). */
export const progressiveRolloutFile = path.join(projectRoot, 'statemachines', 'progressive-rollout.asl.json');

export interface ProgressiveRolloutWorkflowProps {
  /** functions/workflow/rollout-deploy-phase.ts */
  deployPhaseFunction: IFunction;
  /** functions/workflow/rollout-decide.ts (decide, succeed, await resume) */
  decideFunction: IFunction;
  /** functions/workflow/rollout-roll-back.ts */
  rollBackFunction: IFunction;
  /** @default `<stack name>-progressive-rollout` */
  stateMachineName?: string;
  /** @default one year */
  logRetention?: RetentionDays;
}

/**
 * The progressive-rollout workflow: a Standard state machine from
 * statemachines/progressive-rollout.asl.json with its substitutions, logged (ALL) and traced, and a
 * role granted what the definition calls: its three functions and cloudwatch:DescribeAlarms.
 */
export class ProgressiveRolloutWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly stateMachineArn: string;
  readonly definitionSubstitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: ProgressiveRolloutWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = props.stateMachineName ?? `${stack.stackName}-progressive-rollout`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.definitionSubstitutions = {
      RolloutDeployPhaseFunctionArn: props.deployPhaseFunction.functionArn,
      RolloutDecideFunctionArn: props.decideFunction.functionArn,
      RolloutRollBackFunctionArn: props.rollBackFunction.functionArn,
    };
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readFileSync(progressiveRolloutFile, 'utf8')),
      definitionSubstitutions: this.definitionSubstitutions,
      // Standard workflows run at most a year; continue-as-new keeps long rollouts far below that.
      timeout: Duration.days(30),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [
          props.deployPhaseFunction.functionArn,
          props.decideFunction.functionArn,
          props.rollBackFunction.functionArn,
        ],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch Logs (log-delivery actions) and X-Ray tracing support no resource-level ' +
        'permissions (Resource "*"); the functions the workflow invokes are granted on their ARNs only.',
    });
    // cdk-nag names the resource as synthesized: a deploy-time token, or the literal an env-bound stack has.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:${region}:${account}:alarm:*]`,
      reason:
        'Health alarms are named by rollout strategies at run time ({env} templates); DescribeAlarms is ' +
        'read-only and limited to this account and region.',
    });
  }
}
