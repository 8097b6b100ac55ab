import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { overrideApprovalFile } from '#infra/override-approval-workflow.ts';
import { synthConvoy } from './support/convoy-app.ts';
import {
  asArray,
  logicalId,
  resourcesOf,
  statementsOfRole,
  type PolicyStatementJson,
} from './support/template-query.ts';

const { stack, template } = synthConvoy();
const workflow = stack.overrideApproval;
const machineId = logicalId(workflow.stateMachine);
const decision = stack.functions.get('override-decision')!;
const activation = stack.functions.get('freeze-activation')!;
const busId = logicalId(stack.eventBus);
const pseudo = (name: string) => ({ Ref: `AWS::${name}` });
const arnOf = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    ['arn:', pseudo('Partition'), `:${service}:`, pseudo('Region'), ':', pseudo('AccountId'), resource],
  ],
});
const stateMachineArn = arnOf('states', ':stateMachine:Convoy-override-approval');
const withoutStar = (statements: PolicyStatementJson[]) => statements.filter((s) => s.Resource !== '*');

describe('the override-approval state machine', () => {
  test('is a Standard workflow from the ASL file, named so its ARN is known without a reference', () => {
    const props = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[machineId]?.Properties;
    expect(props).toMatchObject({
      StateMachineName: 'Convoy-override-approval',
      StateMachineType: 'STANDARD',
      DefinitionString: readFileSync(overrideApprovalFile, 'utf8'),
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: Match.serializedJson(
        Match.objectLike({
          StartAt: 'Resumed?',
          States: Match.objectLike({
            'Notify Approvers': Match.objectLike({
              Resource: 'arn:aws:states:::events:putEvents',
              Parameters: {
                Entries: [
                  Match.objectLike({ EventBusName: '${EventBusName}', DetailType: 'OverrideRequested' }),
                ],
              },
            }),
            'Await Decision': Match.objectLike({
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              TimeoutSecondsPath: '$.decisionTimeoutSeconds',
              Parameters: {
                FunctionName: '${OverrideDecisionFunctionArn}',
                Payload: { action: 'await', 'overrideId.$': '$.overrideId', 'taskToken.$': '$$.Task.Token' },
              },
              Catch: Match.arrayWith([
                Match.objectLike({ ErrorEquals: ['States.Timeout'], Next: 'Expire Request' }),
              ]),
            }),
            'Wait Until Expiry': {
              Type: 'Wait',
              TimestampPath: '$.decision.expiresAt',
              Next: 'Expire Approval',
            },
            Failed: Match.objectLike({ Type: 'Fail' }),
          }),
        }),
      ),
    });
  });

  test('substitutes the Convoy bus and the decision function', () => {
    expect(
      resourcesOf(template, 'AWS::StepFunctions::StateMachine')[machineId]?.Properties
        ?.DefinitionSubstitutions,
    ).toEqual({
      EventBusName: { Ref: busId },
      OverrideDecisionFunctionArn: { 'Fn::GetAtt': [logicalId(decision.handler), 'Arn'] },
    });
  });

  test('logs every execution event with its data, and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(workflow.logGroup), 'Arn'] } },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  test('may invoke the decision function and put events on the Convoy bus, nothing else', () => {
    const statements = withoutStar(statementsOfRole(template, logicalId(workflow.stateMachine.role)));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [logicalId(decision.handler), 'Arn'] },
      },
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } },
    ]);
  });

  test('is started and resumed by the overrides API, and resumed by the decision function', () => {
    const api = withoutStar(
      statementsOfRole(template, logicalId(stack.functions.get('api-overrides')!.role)),
    ).filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
    expect(api).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineArn },
      {
        Effect: 'Allow',
        Action: 'states:DescribeExecution',
        Resource: arnOf('states', ':execution:Convoy-override-approval:*'),
      },
      {
        Effect: 'Allow',
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        Resource: stateMachineArn,
      },
    ]);
    const own = statementsOfRole(template, logicalId(decision.role)).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('states:')),
    );
    expect(own).toEqual([
      {
        Effect: 'Allow',
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        Resource: stateMachineArn,
      },
    ]);
    for (const fn of [stack.functions.get('api-overrides')!, decision]) {
      expect(
        resourcesOf(template, 'AWS::Lambda::Function')[logicalId(fn.handler)]?.Properties?.Environment,
      ).toMatchObject({
        Variables: { CONVOY_OVERRIDE_STATE_MACHINE_ARN: stateMachineArn },
      });
    }
  });

  test('no other function may touch the workflow', () => {
    for (const [id, fn] of stack.functions) {
      if (id === 'api-overrides' || id === 'override-decision') continue;
      const actions = statementsOfRole(template, logicalId(fn.role))
        .filter((s) => JSON.stringify(s.Resource).includes('override-approval'))
        .flatMap((s) => asArray(s.Action));
      expect(
        actions.filter((a) => a.startsWith('states:')),
        id,
      ).toEqual([]);
    }
  });
});

describe('freeze scheduling', () => {
  const schedulerRole = logicalId(stack.freezeScheduling.role);
  const activationArn = arnOf('lambda', ':function:Convoy-freeze-activation');

  test('has its own schedule group and the activation function under a known name', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    expect(
      resourcesOf(template, 'AWS::Lambda::Function')[logicalId(activation.handler)]?.Properties,
    ).toMatchObject({
      FunctionName: 'Convoy-freeze-activation',
      Timeout: 60,
    });
  });

  test('the scheduler role can be assumed by EventBridge Scheduler of this account, and only invokes the activation function', () => {
    expect(
      resourcesOf(template, 'AWS::IAM::Role')[schedulerRole]?.Properties?.AssumeRolePolicyDocument,
    ).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': pseudo('AccountId') } },
        },
      ],
    });
    expect(statementsOfRole(template, schedulerRole)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: activationArn },
    ]);
  });

  test.each(['api-freezes', 'freeze-activation'])(
    '%s may manage convoy-freeze-* schedules, pass the role, and publish',
    (id) => {
      const fn = stack.functions.get(id)!;
      const statements = withoutStar(statementsOfRole(template, logicalId(fn.role))).filter(
        (s) => !asArray(s.Action).some((a) => a.startsWith('dynamodb:') || a.startsWith('logs:')),
      );
      expect(statements).toEqual([
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } },
        {
          Effect: 'Allow',
          Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
          Resource: arnOf(
            'scheduler',
            `:schedule/${stack.freezeScheduling.group.scheduleGroupName}/convoy-freeze-*`,
          ),
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: { 'Fn::GetAtt': [schedulerRole, 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
      expect(
        resourcesOf(template, 'AWS::Lambda::Function')[logicalId(fn.handler)]?.Properties?.Environment,
      ).toMatchObject({
        Variables: {
          CONVOY_EVENT_BUS_NAME: { Ref: busId },
          CONVOY_SCHEDULE_GROUP_NAME: stack.freezeScheduling.group.scheduleGroupName,
          CONVOY_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [schedulerRole, 'Arn'] },
          CONVOY_FREEZE_ACTIVATION_FUNCTION_ARN: activationArn,
        },
      });
    },
  );

  test('nobody else may pass the scheduler role or touch schedules', () => {
    for (const [id, fn] of stack.functions) {
      if (id === 'api-freezes' || id === 'freeze-activation') continue;
      const actions = statementsOfRole(template, logicalId(fn.role)).flatMap((s) => asArray(s.Action));
      expect(
        actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
        id,
      ).toEqual([]);
    }
  });
});
