import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { AppConfigSdkPublisher } from './appconfig-publisher.ts';
import { EventBridgeEventPublisher } from './eventbridge-event-publisher.ts';
import { EventBridgeSchedulePlanner } from './eventbridge-schedule-planner.ts';
import { integrationEnv } from './integration-env.ts';
import type {
  AppConfigPublisher,
  EventPublisher,
  SchedulePlanner,
  WorkflowEngine,
  WorkflowName,
} from './ports.ts';
import { StepFunctionsWorkflowEngine } from './step-functions-workflow-engine.ts';

export { integrationEnv } from './integration-env.ts';

/** Which workflow each state machine variable configures. */
const workflowEnv: Record<WorkflowName, string> = {
  'override-approval': integrationEnv.overrideStateMachineArn,
  'progressive-rollout': integrationEnv.rolloutStateMachineArn,
};

export interface AwsIntegrations {
  events?: EventPublisher;
  workflows?: WorkflowEngine;
  schedules?: SchedulePlanner;
  appconfig?: AppConfigPublisher;
}

export interface AwsClients {
  eventBridge: () => EventBridgeClient;
  stepFunctions: () => SFNClient;
  scheduler: () => SchedulerClient;
  /** @default an AppConfigClient of the Lambda environment */
  appConfig?: () => AppConfigClient;
}

/** SDK clients with the Lambda environment's region and credentials (created only when used). */
export const defaultAwsClients: AwsClients = {
  eventBridge: () => new EventBridgeClient({}),
  stepFunctions: () => new SFNClient({}),
  scheduler: () => new SchedulerClient({}),
  appConfig: () => new AppConfigClient({}),
};

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const text = env[name]?.trim();
  return text === undefined || text === '' ? undefined : text;
};

/**
 * The AWS adapters a function's environment configures, and only those: a function deployed without
 * CONVOY_EVENT_BUS_NAME gets no event publisher (its deps keep the fail-loud default). The scheduler
 * needs its group, role and target together; AppConfig needs CONVOY_APPCONFIG=on. Every workflow engine can resume task tokens; it starts
 * only the workflows whose state machine ARN it was given.
 */
export const awsIntegrationsFromEnv = (
  env: NodeJS.ProcessEnv,
  clients: AwsClients = defaultAwsClients,
): AwsIntegrations => {
  const integrations: AwsIntegrations = {};
  const eventBusName = value(env, integrationEnv.eventBusName);
  if (eventBusName !== undefined) {
    integrations.events = new EventBridgeEventPublisher({ client: clients.eventBridge(), eventBusName });
  }
  const stateMachines: Partial<Record<WorkflowName, string>> = {};
  for (const [workflow, name] of Object.entries(workflowEnv) as [WorkflowName, string][]) {
    const arn = value(env, name);
    if (arn !== undefined) stateMachines[workflow] = arn;
  }
  if (Object.keys(stateMachines).length > 0) {
    integrations.workflows = new StepFunctionsWorkflowEngine({
      client: clients.stepFunctions(),
      stateMachines,
    });
  }
  const groupName = value(env, integrationEnv.scheduleGroupName);
  const roleArn = value(env, integrationEnv.schedulerRoleArn);
  const targetArn = value(env, integrationEnv.freezeActivationFunctionArn);
  if (groupName !== undefined && roleArn !== undefined && targetArn !== undefined) {
    integrations.schedules = new EventBridgeSchedulePlanner({
      client: clients.scheduler(),
      groupName,
      roleArn,
      targetArn,
    });
  }
  if (value(env, integrationEnv.appConfig) === 'on') {
    const client = clients.appConfig?.() ?? new AppConfigClient({});
    integrations.appconfig = new AppConfigSdkPublisher({ client });
  }
  return integrations;
};
