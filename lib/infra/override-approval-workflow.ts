import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { aslFile, aslStateMachine } from './asl-state-machine.ts';

/** The workflow's ASL file (the embedded runtime runs the same file). */
export const overrideApprovalFile = aslFile('override-approval');

export interface OverrideApprovalWorkflowProps {
  /** functions/workflow/override-decision.ts: stores task tokens, expires overrides. */
  decisionFunction: IFunction;
  /** Where the approvers are notified. */
  eventBus: IEventBus;
  /** @default `<stack name>-override-approval` */
  stateMachineName?: string;
  /** @default one year */
  logRetention?: RetentionDays;
}

/**
 * The emergency-override approval workflow: a Standard state machine from
 * statemachines/override-approval.asl.json with its substitutions, every execution event logged and
 * traced, and a role granted exactly what the definition calls (the decision function, PutEvents on
 * the Convoy bus). Its ARN is built from its name, so the functions it invokes can be granted to
 * resume it without a dependency cycle.
 */
export class OverrideApprovalWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** The state machine ARN, formatted from its name (no reference to the resource). */
  readonly stateMachineArn: string;
  /** What the definition's `${Placeholders}` are replaced with. */
  readonly definitionSubstitutions: Record<string, string>;
  private readonly executionArns: string;
  private readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: OverrideApprovalWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stateMachineName = props.stateMachineName ?? `${stack.stackName}-override-approval`;
    this.definitionSubstitutions = {
      EventBusName: props.eventBus.eventBusName,
      OverrideDecisionFunctionArn: props.decisionFunction.functionArn,
    };
    const machine = aslStateMachine(this, {
      name: this.stateMachineName,
      file: overrideApprovalFile,
      definitionSubstitutions: this.definitionSubstitutions,
      // A safety net far beyond the decision timeout (24 h) plus the longest time box (24 h).
      timeout: Duration.days(7),
      invokes: [props.decisionFunction],
      logRetention: props.logRetention,
    });
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;
    this.stateMachineArn = machine.stateMachineArn;
    this.executionArns = machine.executionArns;
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch Logs (logs:CreateLogDelivery and the other log-delivery actions) and X-Ray ' +
        'tracing support no resource-level permissions (Resource "*"); what the workflow calls (the ' +
        'decision function, the Convoy bus) is granted on those resources only.',
    });
  }

  /** Start executions (and read one back, for idempotent starts) and resume their task tokens. */
  grantStartAndResume(role: Role): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [this.executionArns] }),
    );
    this.grantResume(role);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.findingArn()}]`,
      reason:
        'DescribeExecution makes StartExecution idempotent (an execution that already exists with the same ' +
        'input is success); executions are named after overrides created at run time, so the grant covers ' +
        'the executions of this one state machine.',
    });
  }

  /** Resume (or fail) the workflow's `.waitForTaskToken` tasks. */
  grantResume(role: Role): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.stateMachineArn],
      }),
    );
  }

  /** How cdk-nag spells the execution ARN pattern in a finding id (pseudo parameters as <AWS::…>). */
  private findingArn(): string {
    return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${this.stateMachineName}:*`;
  }
}
