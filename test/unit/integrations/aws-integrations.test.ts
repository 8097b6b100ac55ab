import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import { awsIntegrationsFromEnv, integrationEnv, type AwsClients } from '#integrations/aws-integrations.ts';
import { EventBridgeEventPublisher } from '#integrations/eventbridge-event-publisher.ts';
import { EventBridgeSchedulePlanner } from '#integrations/eventbridge-schedule-planner.ts';
import { StepFunctionsWorkflowEngine } from '#integrations/step-functions-workflow-engine.ts';

const clients: AwsClients = {
  eventBridge: () => new EventBridgeClient({ region: 'eu-west-1' }),
  stepFunctions: () => new SFNClient({ region: 'eu-west-1' }),
  scheduler: () => new SchedulerClient({ region: 'eu-west-1' }),
};

const full = {
  [integrationEnv.eventBusName]: 'convoy',
  [integrationEnv.overrideStateMachineArn]: 'arn:aws:states:eu-west-1:1:stateMachine:override',
  [integrationEnv.scheduleGroupName]: 'convoy',
  [integrationEnv.schedulerRoleArn]: 'arn:aws:iam::1:role/scheduler',
  [integrationEnv.freezeActivationFunctionArn]: 'arn:aws:lambda:eu-west-1:1:function:activation',
};

describe('AWS integrations from the environment', () => {
  it('builds nothing without configuration', () => {
    expect(awsIntegrationsFromEnv({}, clients)).toEqual({});
    expect(awsIntegrationsFromEnv({ [integrationEnv.eventBusName]: '  ' }, clients)).toEqual({});
  });

  it('builds each adapter its variables configure', () => {
    const built = awsIntegrationsFromEnv(full, clients);
    expect(built.events).toBeInstanceOf(EventBridgeEventPublisher);
    expect(built.workflows).toBeInstanceOf(StepFunctionsWorkflowEngine);
    expect(built.schedules).toBeInstanceOf(EventBridgeSchedulePlanner);
  });

  it('needs the schedule group, the role and the target together', () => {
    const { [integrationEnv.schedulerRoleArn]: _role, ...partial } = full;
    expect(awsIntegrationsFromEnv(partial, clients).schedules).toBeUndefined();
  });

  it('builds a workflow engine for the rollout state machine alone', () => {
    const built = awsIntegrationsFromEnv(
      { [integrationEnv.rolloutStateMachineArn]: 'arn:aws:states:eu-west-1:1:stateMachine:rollout' },
      clients,
    );
    expect(built.workflows).toBeInstanceOf(StepFunctionsWorkflowEngine);
  });

  it('wires the configured adapters into the handlers deps and keeps the fail-loud defaults for the rest', async () => {
    const deps = depsFromEnvironment({
      [integrationEnv.eventBusName]: 'convoy',
      [integrationEnv.overrideStateMachineArn]: full[integrationEnv.overrideStateMachineArn],
    });
    expect(deps.events).toBeInstanceOf(EventBridgeEventPublisher);
    expect(deps.workflows).toBeInstanceOf(StepFunctionsWorkflowEngine);
    await expect(
      deps.schedules.arm({ name: 'x', at: '2026-01-01T00:00:00Z', payload: {} }),
    ).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('creates real SDK clients by default', () => {
    const built = awsIntegrationsFromEnv(full);
    expect(built.events).toBeDefined();
  });
});
