/**
 * The environment variables that configure the AWS adapters of a function: CDK sets them
 * (lib/infra), functions/shared/lambda-deps.ts reads them (aws-integrations.ts). No SDK import here, so the
 * CDK app can use the names without loading the clients.
 */
export const integrationEnv = {
  eventBusName: 'CONVOY_EVENT_BUS_NAME',
  overrideStateMachineArn: 'CONVOY_OVERRIDE_STATE_MACHINE_ARN',
  rolloutStateMachineArn: 'CONVOY_ROLLOUT_STATE_MACHINE_ARN',
  scheduleGroupName: 'CONVOY_SCHEDULE_GROUP_NAME',
  schedulerRoleArn: 'CONVOY_SCHEDULER_ROLE_ARN',
  freezeActivationFunctionArn: 'CONVOY_FREEZE_ACTIVATION_FUNCTION_ARN',
  /** `on`: publish to the AppConfig environments the catalog binds (the function holds the grants). */
  appConfig: 'CONVOY_APPCONFIG',
} as const;
