import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { routes, type RouteGroup } from '#api/routes.ts';
import { ApiFunctions } from './api-functions.ts';
import { enableAppConfig } from './appconfig-access.ts';
import { AppConfigApplication, type AppConfigApplicationProps } from './appconfig-application.ts';
import { AuditBus } from './audit-bus.ts';
import { AuditCheckpoints } from './audit-checkpoints.ts';
import { AuditPipe } from './audit-pipe.ts';
import { ConvoyApi } from './convoy-api.ts';
import { ConvoyFunction, type ConvoyFunctionProps, type ConvoyLogLevel } from './convoy-function.ts';
import { ConvoyEventBus } from './convoy-event-bus.ts';
import { ReleaseWebhook, type ReleaseWebhookProps } from './release-webhook.ts';
import { DashboardHosting, type DashboardHostingProps } from './dashboard-hosting.ts';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { auditEventSource } from '#store/audit-stream.ts';
import { partialCauses, releaseLifecycleTypes } from '#domain/releases/release-notification.ts';
import { ConvoyTable } from './convoy-table.ts';
import { FreezeScheduling } from './freeze-scheduling.ts';
import { routeGroupIntegrations, type ConvoyIntegration } from './integration-access.ts';
import { OverrideApprovalWorkflow } from './override-approval-workflow.ts';
import { addPipelineFunctions, type PipelineFunctions } from './pipeline-functions.ts';
import { ProgressiveRolloutWorkflow } from './progressive-rollout-workflow.ts';
import { integrationEnv } from '#integrations/integration-env.ts';

export interface ConvoyStackProps extends StackProps {
  /** Log level of every function. @default INFO */
  logLevel?: ConvoyLogLevel;
  /** API stage throttling. @default 50 requests/s, bursts of 100 */
  apiThrottle?: ThrottleSettings;
  /** An AppConfig application for catalog bindings: environments, config and feature-flag profiles. */
  appConfig?: AppConfigApplicationProps;
  /** Route release lifecycle events from the `convoy` bus to a webhook (ticketing or chat). */
  releaseWebhook?: ReleaseWebhookProps;
  /** Host the dashboard: S3 + CloudFront, Cognito sign-in, the API for it under `/api` (JWT). */
  dashboard?: DashboardHostingProps;
}

/**
 * Convoy on AWS: the table, the IAM-authorized HTTP API with one function per route group, and the
 * audit outbox relay (table stream → Pipe → `convoy-audit` bus with an archive). Later capabilities
 * (state machines, schedules, more functions) add themselves through `addFunction` and the public
 * table, bus and function properties.
 */
export class ConvoyStack extends Stack {
  readonly table: Table;
  readonly auditBus: EventBus;
  readonly api: ConvoyApi;
  readonly auditPipe: AuditPipe;
  /** The `convoy` bus: freeze and override notifications. */
  readonly eventBus: EventBus;
  readonly overrideApproval: OverrideApprovalWorkflow;
  readonly progressiveRollout: ProgressiveRolloutWorkflow;
  /** The CodePipeline rollout action and stage condition. */
  readonly pipelineFunctions: PipelineFunctions;
  readonly freezeScheduling: FreezeScheduling;
  /** The signing key and Object Lock bucket of the audit checkpoints. */
  readonly auditCheckpoints: AuditCheckpoints;
  /** The API function of each route group. */
  readonly apiFunctions: Record<RouteGroup, NodejsFunction>;
  /** Every Convoy function of the stack by id, API groups included (`api-<group>`). */
  readonly functions = new Map<string, ConvoyFunction>();
  /** Only with the `appConfig` prop. */
  readonly appConfig: AppConfigApplication | undefined;
  /** Only with the `releaseWebhook` prop. */
  readonly releaseWebhook: ReleaseWebhook | undefined;
  /** Only with the `dashboard` prop. */
  readonly dashboard: DashboardHosting | undefined;
  private readonly logLevel: ConvoyLogLevel | undefined;

  constructor(scope: Construct, id: string, props: ConvoyStackProps = {}) {
    super(scope, id, props);
    this.logLevel = props.logLevel;
    this.table = new ConvoyTable(this, 'Store').table;
    this.auditBus = new AuditBus(this, 'Audit').eventBus;
    this.auditPipe = new AuditPipe(this, 'AuditPipe', { table: this.table, eventBus: this.auditBus });

    const apiFunctions = new ApiFunctions(this, 'ApiFunctions', {
      table: this.table,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    for (const [group, fn] of Object.entries(apiFunctions.byGroup)) this.functions.set(`api-${group}`, fn);
    this.apiFunctions = mapValues(apiFunctions.byGroup, (fn) => fn.handler);

    // Freezes and overrides: the Convoy bus, the activation schedules and function, the approval workflow.
    this.eventBus = new ConvoyEventBus(this, 'Events').eventBus;
    const activationName = `${this.stackName}-freeze-activation`.slice(0, 64);
    const activationArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: activationName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.freezeScheduling = new FreezeScheduling(this, 'FreezeScheduling', {
      activationFunctionArn: activationArn,
    });
    const decision = this.addFunction('override-decision', {
      entry: 'functions/workflow/override-decision.ts',
      tableAccess: 'readWrite',
      timeout: Duration.seconds(30),
      description: 'Convoy workflow: override approval (task tokens, expiry)',
    });
    this.overrideApproval = new OverrideApprovalWorkflow(this, 'OverrideApproval', {
      decisionFunction: decision.handler,
      eventBus: this.eventBus,
    });
    const activation = this.addFunction('freeze-activation', {
      entry: 'functions/scheduled/freeze-activation.ts',
      functionName: activationName,
      tableAccess: 'readWrite',
      timeout: Duration.minutes(1),
      description: 'Convoy scheduled: freeze window activation (guards, FreezeStarted/Ended, re-arming)',
    });
    this.grantIntegrations(activation, ['events', 'schedules']);
    // The decision function resumes its own wait when a decision came first (no start: no ARN needed).
    this.overrideApproval.grantResume(decision.role);
    decision.handler.addEnvironment(
      integrationEnv.overrideStateMachineArn,
      this.overrideApproval.stateMachineArn,
    );
    // Deploy, rollback and sync publish to the AppConfig environments the catalog binds.
    enableAppConfig(apiFunctions.byGroup.deployments);
    enableAppConfig(apiFunctions.byGroup.releases);
    this.appConfig = props.appConfig && new AppConfigApplication(this, 'AppConfig', props.appConfig);
    this.releaseWebhook =
      props.releaseWebhook &&
      new ReleaseWebhook(this, 'ReleaseWebhook', { ...props.releaseWebhook, eventBus: this.eventBus });

    // Progressive rollouts: the workflow and its three task functions.
    const rolloutTask = (task: string, description: string, timeout = Duration.seconds(30)) =>
      this.addFunction(`rollout-${task}`, {
        entry: `functions/workflow/rollout-${task}.ts`,
        tableAccess: 'readWrite',
        timeout,
        description: `Convoy workflow: progressive rollout (${description})`,
      }).handler;
    const rolloutDecide = rolloutTask('decide', 'health decision, approval gate, pause, success');
    this.progressiveRollout = new ProgressiveRolloutWorkflow(this, 'ProgressiveRollout', {
      deployPhaseFunction: rolloutTask('deploy-phase', 'deploy a phase', Duration.minutes(2)),
      decideFunction: rolloutDecide,
      rollBackFunction: rolloutTask('roll-back', 'roll back every deployed phase', Duration.minutes(2)),
    });
    for (const task of ['deploy-phase', 'decide', 'roll-back']) {
      const fn = this.functions.get(`rollout-${task}`);
      // Phases publish to AppConfig-bound environments; decide polls them; roll-back re-publishes.
      if (fn) enableAppConfig(fn);
    }
    // The decide function answers a wait an operator decided before the token was stored.
    const decideFunction = this.functions.get('rollout-decide');
    if (decideFunction) {
      this.progressiveRollout.grantResume(decideFunction.role);
      rolloutDecide.addEnvironment(
        integrationEnv.rolloutStateMachineArn,
        this.progressiveRollout.stateMachineArn,
      );
    }

    // An execution that fails, times out or is stopped: its rollout records it and pauses or rolls back.
    const executionEnded = this.addFunction('rollout-execution-ended', {
      entry: 'functions/workflow/rollout-execution-ended.ts',
      tableAccess: 'readWrite',
      timeout: Duration.seconds(30),
      description: 'Convoy workflow: progressive rollout (an execution failed, timed out or was stopped)',
    });
    executionEnded.handler.addEnvironment(
      integrationEnv.rolloutStateMachineArn,
      this.progressiveRollout.stateMachineArn,
    );
    this.progressiveRollout.grantStartAndStop(executionEnded.role);
    this.progressiveRollout.notifyExecutionEnds(executionEnded.handler);

    // After the workflows: the rollouts group starts and resumes progressive rollouts.
    for (const [group, integrations] of Object.entries(routeGroupIntegrations) as [
      RouteGroup,
      readonly ConvoyIntegration[],
    ][]) {
      this.grantIntegrations(apiFunctions.byGroup[group], integrations);
    }
    this.pipelineFunctions = addPipelineFunctions(
      (id, fnProps) => this.addFunction(id, fnProps),
      this.progressiveRollout,
    );

    // Release steps announced on the Convoy bus from the audit trail (the outbox: only what committed).
    const announcer = this.addFunction('release-announcer', {
      entry: 'functions/events/release-announcer.ts',
      tableAccess: 'read',
      timeout: Duration.seconds(30),
      description: 'Convoy events: release steps and partial releases, from the audit bus to the convoy bus',
    });
    this.grantIntegrations(announcer, ['events']);
    new Rule(this, 'ReleaseAnnouncements', {
      eventBus: this.auditBus,
      description: 'Release steps and bundle flips to the release announcer',
      eventPattern: {
        source: [auditEventSource],
        detail: { item: { eventType: { S: [...releaseLifecycleTypes, ...partialCauses] } } },
      },
      targets: [new LambdaFunction(announcer.handler, { retryAttempts: 20, maxEventAge: Duration.hours(6) })],
    });

    // Signed audit checkpoints: hourly, and on demand from the audit routes, which also verify them.
    const checkpoint = this.addFunction('audit-checkpoint', {
      entry: 'functions/scheduled/audit-checkpoint.ts',
      tableAccess: 'audit',
      timeout: Duration.minutes(5),
      description: 'Convoy scheduled: sign an audit checkpoint (KMS) into the Object Lock bucket',
    });
    this.auditCheckpoints = new AuditCheckpoints(this, 'AuditCheckpoints', {
      checkpointFunction: checkpoint,
      auditFunctions: [apiFunctions.byGroup.audit],
    });

    this.api = new ConvoyApi(this, 'Api', {
      routes,
      handlers: this.apiFunctions,
      ...(props.apiThrottle ? { throttle: props.apiThrottle } : {}),
    });

    this.dashboard =
      props.dashboard &&
      new DashboardHosting(this, 'Dashboard', {
        ...props.dashboard,
        routes,
        handlers: this.apiFunctions,
        ...(props.apiThrottle ? { throttle: props.apiThrottle } : {}),
      });

    if (this.dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        value: this.dashboard.url,
        description: 'Convoy dashboard (Cognito sign-in)',
      });
      new CfnOutput(this, 'DashboardUserPoolId', {
        value: this.dashboard.userPool.userPoolId,
        description: 'Dashboard users: set custom:principal to a catalog principal',
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Convoy HTTP API (IAM/SigV4)' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AuditBusName', { value: this.auditBus.eventBusName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'AuditCheckpointBucket', { value: this.auditCheckpoints.bucket.bucketName });
    new CfnOutput(this, 'OverrideApprovalStateMachineArn', { value: this.overrideApproval.stateMachineArn });
    new CfnOutput(this, 'ProgressiveRolloutStateMachineArn', {
      value: this.progressiveRollout.stateMachineArn,
    });
  }

  /** Environment variables and IAM grants for the integrations a function calls (beside the table). */
  grantIntegrations(fn: ConvoyFunction, integrations: readonly ConvoyIntegration[]): void {
    for (const integration of integrations) {
      switch (integration) {
        case 'events':
          fn.handler.addEnvironment(integrationEnv.eventBusName, this.eventBus.eventBusName);
          fn.role.addToPrincipalPolicy(
            new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
          );
          break;
        case 'schedules':
          fn.handler.addEnvironment(
            integrationEnv.scheduleGroupName,
            this.freezeScheduling.group.scheduleGroupName,
          );
          fn.handler.addEnvironment(integrationEnv.schedulerRoleArn, this.freezeScheduling.role.roleArn);
          fn.handler.addEnvironment(
            integrationEnv.freezeActivationFunctionArn,
            this.formatArn({
              service: 'lambda',
              resource: 'function',
              resourceName: `${this.stackName}-freeze-activation`.slice(0, 64),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          );
          this.freezeScheduling.grantManageSchedules(fn.role);
          break;
        case 'overrideWorkflow':
          fn.handler.addEnvironment(
            integrationEnv.overrideStateMachineArn,
            this.overrideApproval.stateMachineArn,
          );
          this.overrideApproval.grantStartAndResume(fn.role);
          break;
        case 'rolloutWorkflow':
          fn.handler.addEnvironment(
            integrationEnv.rolloutStateMachineArn,
            this.progressiveRollout.stateMachineArn,
          );
          this.progressiveRollout.grantOperate(fn.role);
          break;
      }
    }
  }

  /**
   * Add a Convoy function (workflow task, scheduled job, pipeline action) wired to the table with the
   * stack's conventions; it is registered in `functions` under `id`.
   */
  addFunction(id: string, props: Omit<ConvoyFunctionProps, 'table'>): ConvoyFunction {
    if (this.functions.has(id)) throw new Error(`Convoy function ${id} already exists`);
    const fn = new ConvoyFunction(this, id, {
      ...(this.logLevel ? { logLevel: this.logLevel } : {}),
      ...props,
      table: this.table,
    });
    this.functions.set(id, fn);
    return fn;
  }
}

const mapValues = <K extends string, A, B>(record: Record<K, A>, f: (value: A) => B): Record<K, B> =>
  Object.fromEntries(Object.entries<A>(record).map(([key, value]) => [key, f(value)])) as Record<K, B>;
