import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { aslFile, aslStateMachine } from './asl-state-machine.ts';

/** The workflow's ASL file (the embedded runtime runs the same file). */
export const progressiveRolloutFile = aslFile('progressive-rollout');

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
    this.definitionSubstitutions = {
      RolloutDeployPhaseFunctionArn: props.deployPhaseFunction.functionArn,
      RolloutDecideFunctionArn: props.decideFunction.functionArn,
      RolloutRollBackFunctionArn: props.rollBackFunction.functionArn,
    };
    const machine = aslStateMachine(this, {
      name: props.stateMachineName ?? `${stack.stackName}-progressive-rollout`,
      file: progressiveRolloutFile,
      definitionSubstitutions: this.definitionSubstitutions,
      // Standard workflows run at most a year; continue-as-new keeps long rollouts far below that.
      timeout: Duration.days(30),
      invokes: [props.deployPhaseFunction, props.decideFunction, props.rollBackFunction],
      logRetention: props.logRetention,
    });
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;
    this.stateMachineArn = machine.stateMachineArn;
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
