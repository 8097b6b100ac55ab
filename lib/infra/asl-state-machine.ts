import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArnFormat, type Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { projectRoot } from './bundling.ts';

export const aslFile = (name: string): string => path.join(projectRoot, 'statemachines', `${name}.asl.json`);

export interface AslStateMachineProps {
  /** Fixed, so its ARN can be built from the name without a dependency cycle. */
  name: string;
  /** The ASL file; the embedded runtime runs the same file. */
  file: string;
  definitionSubstitutions: Record<string, string>;
  timeout: Duration;
  /** The functions the definition invokes; granted lambda:InvokeFunction on their ARNs only. */
  invokes: readonly IFunction[];
  logRetention?: RetentionDays;
}

export interface AslStateMachine {
  stateMachine: StateMachine;
  logGroup: LogGroup;
  stateMachineArn: string;
  /** ARN pattern of this machine's executions. */
  executionArns: string;
}

/**
 * A Standard state machine from an ASL file with DefinitionSubstitutions, logged (ALL) and traced,
 * its role granted the functions it invokes. Children are created in `scope` ('Logs', 'StateMachine').
 */
export const aslStateMachine = (scope: Construct, props: AslStateMachineProps): AslStateMachine => {
  const stack = Stack.of(scope);
  const arn = (resource: string, resourceName: string): string =>
    stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const logGroup = new LogGroup(scope, 'Logs', {
    retention: props.logRetention ?? RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    stateMachineName: props.name,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(readFileSync(props.file, 'utf8')),
    definitionSubstitutions: props.definitionSubstitutions,
    timeout: props.timeout,
    logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    tracingEnabled: true,
  });
  stateMachine.addToRolePolicy(
    new PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: props.invokes.map((f) => f.functionArn),
    }),
  );
  return {
    stateMachine,
    logGroup,
    stateMachineArn: arn('stateMachine', props.name),
    executionArns: arn('execution', `${props.name}:*`),
  };
};

/** Start executions of `machine` (DescribeExecution makes a repeated start idempotent). */
export const grantStart = (machine: AslStateMachine, name: string, role: IRole): void => {
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:StartExecution'], resources: [machine.stateMachineArn] }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [machine.executionArns] }),
  );
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
    reason:
      'DescribeExecution makes StartExecution idempotent (an execution that already exists with the same ' +
      'input is success); executions are named at run time, so the grant covers the executions of this ' +
      'one state machine.',
  });
};

/** Start executions of `machine` and resume its tokens. */
export const grantStartAndResume = (machine: AslStateMachine, name: string, role: IRole): void => {
  grantStart(machine, name, role);
  grantResume(machine, role);
};

/** Stop executions of `machine` (after grantStart, whose acknowledgement covers the execution ARNs). */
export const grantStop = (machine: AslStateMachine, role: IRole): void => {
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:StopExecution'], resources: [machine.executionArns] }),
  );
};

/** Resume (or fail) the `.waitForTaskToken` tasks of `machine`. */
export const grantResume = (machine: AslStateMachine, role: IRole): void => {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resources: [machine.stateMachineArn],
    }),
  );
};
