import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { untimelyEndStatuses } from '#domain/rollout/execution-end.ts';
import {
  aslFile,
  aslStateMachine,
  grantResume,
  grantStart,
  grantStartAndResume,
  grantStop,
  type AslStateMachine,
} from './asl-state-machine.ts';

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
 * role granted what the definition calls: its three functions, cloudwatch:DescribeAlarms, and
 * states:StartExecution on itself (continue-as-new).
 */
export class ProgressiveRolloutWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly stateMachineArn: string;
  readonly definitionSubstitutions: Record<string, string>;
  private readonly machine: AslStateMachine;
  private readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: ProgressiveRolloutWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.definitionSubstitutions = {
      RolloutDeployPhaseFunctionArn: props.deployPhaseFunction.functionArn,
      RolloutDecideFunctionArn: props.decideFunction.functionArn,
      RolloutRollBackFunctionArn: props.rollBackFunction.functionArn,
    };
    this.stateMachineName = props.stateMachineName ?? `${stack.stackName}-progressive-rollout`;
    const machine = aslStateMachine(this, {
      name: this.stateMachineName,
      file: progressiveRolloutFile,
      definitionSubstitutions: this.definitionSubstitutions,
      // Standard workflows run at most a year; continue-as-new keeps long rollouts far below that.
      timeout: Duration.days(30),
      invokes: [props.deployPhaseFunction, props.decideFunction, props.rollBackFunction],
      logRetention: props.logRetention,
    });
    this.machine = machine;
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;
    this.stateMachineArn = machine.stateMachineArn;
    // Continue-as-new: the execution starts a fresh execution of this same machine (and nothing else).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [machine.stateMachineArn] }),
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

  /**
   * Start rollout executions, resume their waits, and stop them: the rollouts API hands a watching
   * rollout over to a fresh execution when an operator acts (lib/app/rollouts/kick-rollout.ts).
   */
  grantOperate(role: IRole): void {
    grantStartAndResume(this.machine, this.stateMachineName, role);
    grantStop(this.machine, role);
  }

  /**
   * Start rollout executions and stop them: a rollout whose execution ended is carried on (rolled back)
   * by a fresh one.
   */
  grantStartAndStop(role: IRole): void {
    grantStart(this.machine, this.stateMachineName, role);
    grantStop(this.machine, role);
  }

  /**
   * An EventBridge rule (default bus) on this state machine's "Execution Status Change" events whose
   * execution failed, timed out or was stopped, invoking `fn` (functions/workflow/
   * rollout-execution-ended.ts): whatever kills an execution, its rollout learns it. Step Functions
   * sends these events for Standard workflows by itself; a delivery that fails is retried.
   */
  notifyExecutionEnds(fn: IFunction): Rule {
    return new Rule(this, 'ExecutionEnded', {
      description: 'Convoy: a progressive-rollout execution failed, timed out or was stopped',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachineArn], status: [...untimelyEndStatuses] },
      },
      targets: [new LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
  }

  /** Start rollout executions only (the pipeline action never resumes a wait). */
  grantStart(role: IRole): void {
    grantStart(this.machine, this.stateMachineName, role);
  }

  /** Resume the workflow's waits (its own decide function answers a wait decided before it began). */
  grantResume(role: IRole): void {
    grantResume(this.machine, role);
  }
}
