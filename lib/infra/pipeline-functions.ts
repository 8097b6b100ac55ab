import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { integrationEnv } from '#integrations/integration-env.ts';
import type { ConvoyFunction, ConvoyFunctionProps } from './convoy-function.ts';
import type { ProgressiveRolloutWorkflow } from './progressive-rollout-workflow.ts';

export interface PipelineFunctions {
  /** functions/pipeline/rollout-action.ts: the Lambda invoke action that starts and follows a rollout. */
  rolloutAction: ConvoyFunction;
  /** functions/pipeline/stage-condition.ts: the LambdaInvoke rule that fails a stage while frozen. */
  stageCondition: ConvoyFunction;
}

/**
 * Job results only. CodePipeline's job operations support no resource-level permissions (the job id
 * arrives with the invocation), so Resource is "*", under the role's existing IAM5[Resource::*] finding.
 */
const grantJobResults = (fn: ConvoyFunction): void => {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
      resources: ['*'],
    }),
  );
};

/**
 * The CodePipeline integration: the rollout action (reads and writes the table to start a rollout,
 * starts the rollout workflow, reports job results) and the stage condition (reads the catalog and the
 * freeze calendar, reports job results).
 */
export const addPipelineFunctions = (
  add: (id: string, props: Omit<ConvoyFunctionProps, 'table'>) => ConvoyFunction,
  workflow: ProgressiveRolloutWorkflow,
): PipelineFunctions => {
  const rolloutAction = add('pipeline-rollout-action', {
    entry: 'functions/pipeline/rollout-action.ts',
    tableAccess: 'readWrite',
    timeout: Duration.seconds(30),
    description: 'Convoy pipeline: CodePipeline action that starts and follows a progressive rollout',
  });
  rolloutAction.handler.addEnvironment(integrationEnv.rolloutStateMachineArn, workflow.stateMachineArn);
  workflow.grantStart(rolloutAction.role);
  const stageCondition = add('pipeline-stage-condition', {
    entry: 'functions/pipeline/stage-condition.ts',
    tableAccess: 'read',
    description: 'Convoy pipeline: CodePipeline stage condition that fails while an environment is frozen',
  });
  for (const fn of [rolloutAction, stageCondition]) grantJobResults(fn);
  return { rolloutAction, stageCondition };
};
