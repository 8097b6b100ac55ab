import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { routes } from '#api/routes.ts';
import { tableActions } from '#infra/table-access.ts';
import { executionStatusEvent } from '#local/local-workflows.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { matchesPattern } from './support/event-pattern.ts';
import { asArray, logicalId, resourcesOf, statementsOfRole } from './support/template-query.ts';

const { stack, template } = synthConvoy();
const functions = resourcesOf(template, 'AWS::Lambda::Function');
const tableId = logicalId(stack.table);
const pseudo = (name: string) => ({ Ref: `AWS::${name}` });
const arnOf = (resource: string) => ({
  'Fn::Join': [
    '',
    ['arn:', pseudo('Partition'), ':states:', pseudo('Region'), ':', pseudo('AccountId'), resource],
  ],
});
const rolloutMachine = arnOf(':stateMachine:Convoy-progressive-rollout');
const rolloutExecutions = arnOf(':execution:Convoy-progressive-rollout:*');
const jobResults = ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'];

/** A function's statements, without its log group, X-Ray and table statements. */
const grantsOf = (id: string) =>
  statementsOfRole(template, logicalId(stack.functions.get(id)!.role)).filter(
    (s) =>
      !asArray(s.Action).some(
        (a) => a.startsWith('logs:') || a.startsWith('xray:') || a.startsWith('dynamodb:'),
      ),
  );
const tableActionsOf = (id: string) =>
  statementsOfRole(template, logicalId(stack.functions.get(id)!.role))
    .filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')))
    .flatMap((s) => asArray(s.Action));
const variablesOf = (id: string) =>
  (
    functions[logicalId(stack.functions.get(id)!.handler)]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

const start = [
  { Effect: 'Allow', Action: 'states:StartExecution', Resource: rolloutMachine },
  { Effect: 'Allow', Action: 'states:DescribeExecution', Resource: rolloutExecutions },
];

describe('the rollouts API group', () => {
  test('serves every /rollouts route', () => {
    expect(routes.filter((r) => r.group === 'rollouts').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rollouts',
      'GET /rollouts',
      'GET /rollouts/{id}',
      'POST /rollouts/{id}/{action}',
    ]);
    expect(stack.api.routes.get('POST /rollouts/{id}/{action}')).toBeDefined();
  });

  test('reads and writes the table, starts, resumes and stops rollout executions, nothing else', () => {
    expect(tableActionsOf('api-rollouts')).toEqual(tableActions.readWrite);
    expect(grantsOf('api-rollouts')).toEqual([
      ...start,
      {
        Effect: 'Allow',
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        Resource: rolloutMachine,
      },
      { Effect: 'Allow', Action: 'states:StopExecution', Resource: rolloutExecutions },
    ]);
    expect(variablesOf('api-rollouts')).toMatchObject({ CONVOY_ROLLOUT_STATE_MACHINE_ARN: rolloutMachine });
  });
});

describe('the CodePipeline functions', () => {
  test('bundle their handlers with the stack conventions', () => {
    for (const [id, entry] of [
      ['pipeline-rollout-action', 'functions/pipeline/rollout-action.ts'],
      ['pipeline-stage-condition', 'functions/pipeline/stage-condition.ts'],
    ] as const) {
      expect(functions[logicalId(stack.functions.get(id)!.handler)]?.Properties, entry).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
    expect(stack.pipelineFunctions.rolloutAction).toBe(stack.functions.get('pipeline-rollout-action'));
    expect(stack.pipelineFunctions.stageCondition).toBe(stack.functions.get('pipeline-stage-condition'));
  });

  test('the rollout action writes the table, starts rollouts (never resumes them) and reports job results', () => {
    expect(tableActionsOf('pipeline-rollout-action')).toEqual(tableActions.readWrite);
    expect(grantsOf('pipeline-rollout-action')).toEqual([
      ...start,
      { Effect: 'Allow', Action: jobResults, Resource: '*' },
    ]);
    expect(variablesOf('pipeline-rollout-action')).toMatchObject({
      CONVOY_ROLLOUT_STATE_MACHINE_ARN: rolloutMachine,
    });
    expect(
      functions[logicalId(stack.functions.get('pipeline-rollout-action')!.handler)]?.Properties,
    ).toMatchObject({ Timeout: 30 });
  });

  test('the stage condition only reads the table and reports job results', () => {
    expect(tableActionsOf('pipeline-stage-condition')).toEqual(tableActions.read);
    expect(grantsOf('pipeline-stage-condition')).toEqual([
      { Effect: 'Allow', Action: jobResults, Resource: '*' },
    ]);
    expect(variablesOf('pipeline-stage-condition')).not.toHaveProperty('CONVOY_ROLLOUT_STATE_MACHINE_ARN');
  });

  test('table statements name the table and its index only', () => {
    for (const id of ['pipeline-rollout-action', 'pipeline-stage-condition']) {
      const statement = statementsOfRole(template, logicalId(stack.functions.get(id)!.role)).find((s) =>
        asArray(s.Action).some((a) => a.startsWith('dynamodb:')),
      );
      expect(JSON.stringify(statement?.Resource), id).toContain(tableId);
    }
  });
});

describe('the progressive-rollout state machine', () => {
  test('checks health every interval and skips Decide only for an unchanged reading Decide allowed', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'Convoy-progressive-rollout',
      DefinitionString: Match.serializedJson(
        Match.objectLike({
          States: Match.objectLike({
            'Check Health': Match.objectLike({
              Resource: 'arn:aws:states:::aws-sdk:cloudwatch:describeAlarms',
              Parameters: {
                'AlarmNames.$': '$.phase.alarmNames',
                AlarmTypes: ['MetricAlarm'],
                MaxRecords: 100,
              },
              // The answer whole: MetricAlarms may be empty or absent (no watched alarm exists).
              ResultSelector: { available: true, 'described.$': '$' },
              Next: 'Alarms Found?',
            }),
            'Alarms Found?': Match.objectLike({
              Choices: [
                {
                  Variable: '$.health.described.MetricAlarms[0].StateValue',
                  IsPresent: true,
                  Next: 'Read Health',
                },
              ],
              Default: 'No Alarm Found',
            }),
            'Read Health': Match.objectLike({
              InputPath: '$.health.described.MetricAlarms[*].StateValue',
              Parameters: { 'fingerprint.$': 'States.JsonToString($)' },
              ResultPath: '$.reading',
              Next: 'Decision Due?',
            }),
            'No Alarm Found': Match.objectLike({
              Result: { fingerprint: '[]' },
              ResultPath: '$.reading',
              Next: 'Decision Due?',
            }),
            'Decision Due?': Match.objectLike({
              Choices: [
                {
                  And: [
                    { Variable: '$.decision.watch.remaining', NumericGreaterThan: 0 },
                    { Variable: '$.reading.fingerprint', StringEqualsPath: '$.decision.watch.fingerprint' },
                  ],
                  Next: 'Skip Check',
                },
              ],
              Default: 'Decide',
            }),
            'Skip Check': Match.objectLike({ Next: 'Wait Interval', ResultPath: '$.decision.watch' }),
            'Monitoring Unavailable': Match.objectLike({ Next: 'Decide' }),
            'Start Watching': Match.objectLike({
              Result: Match.objectLike({ watch: { fingerprint: '', remaining: 0 } }),
            }),
            Decide: Match.objectLike({
              Parameters: Match.objectLike({
                Payload: Match.objectLike({ 'execution.$': '$$.Execution.Name' }),
              }),
            }),
            'Hand Over': Match.objectLike({ Next: 'Continue As New' }),
          }),
        }),
      ),
    });
  });
});

describe('the rule on rollout executions that end untimely', () => {
  const rules = resourcesOf(template, 'AWS::Events::Rule');
  const fnId = logicalId(stack.functions.get('rollout-execution-ended')!.handler);
  const [ruleId, rule] = Object.entries(rules).find(([, r]) =>
    JSON.stringify(r.Properties?.Targets).includes(fnId),
  )!;
  const pattern = {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { stateMachineArn: [rolloutMachine], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
  };

  test('matches the progressive-rollout executions that fail, time out or are stopped, on the default bus', () => {
    expect(rule.Properties).toMatchObject({ EventPattern: pattern, State: 'ENABLED' });
    expect(rule.Properties).not.toHaveProperty('EventBusName');
    const event = (status: string, machine: unknown = rolloutMachine) => ({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { stateMachineArn: machine, status, name: 'ro-1' },
    });
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED'])
      expect(matchesPattern(pattern, event(status)), status).toBe(true);
    for (const status of ['SUCCEEDED', 'RUNNING', 'PENDING_REDRIVE'])
      expect(matchesPattern(pattern, event(status)), status).toBe(false);
    expect(matchesPattern(pattern, event('FAILED', arnOf(':stateMachine:Convoy-override-approval')))).toBe(
      false,
    );
  });

  test('invokes the execution-ended function, retrying a failed delivery', () => {
    expect(rule.Properties?.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  test('the function reads and writes the table and starts and stops rollout executions, nothing else', () => {
    expect(functions[fnId]?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 30,
    });
    expect(tableActionsOf('rollout-execution-ended')).toEqual(tableActions.readWrite);
    expect(grantsOf('rollout-execution-ended')).toEqual([
      ...start,
      { Effect: 'Allow', Action: 'states:StopExecution', Resource: rolloutExecutions },
    ]);
    expect(variablesOf('rollout-execution-ended')).toMatchObject({
      CONVOY_ROLLOUT_STATE_MACHINE_ARN: rolloutMachine,
    });
  });

  test('the event the local runner reports for a failed rollout execution matches the rule', () => {
    const local = executionStatusEvent({
      executionId: 'arn:aws:states:local:000000000000:execution:convoy-progressive-rollout:ro-1',
      workflow: 'progressive-rollout',
      name: 'ro-1',
      input: { rolloutId: 'ro-1' },
      status: 'FAILED',
      startedAt: '2026-12-05T10:00:00.000Z',
      stoppedAt: '2026-12-05T10:05:00.000Z',
      error: 'States.Runtime',
      history: [],
      waitingFor: [],
    });
    const localMachine = 'arn:aws:states:local:000000000000:stateMachine:convoy-progressive-rollout';
    expect(local).toMatchObject({
      detail: { stateMachineArn: localMachine, name: 'ro-1', status: 'FAILED', cause: null },
    });
    expect(
      matchesPattern({ ...pattern, detail: { ...pattern.detail, stateMachineArn: [localMachine] } }, local),
    ).toBe(true);
  });
});
