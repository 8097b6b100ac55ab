import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ConvoyError } from '#domain/core/errors.ts';
import { canonicalJson } from '#domain/core/json.ts';
import { awsErrorName, translateAwsError } from './aws-errors.ts';
import type { WorkflowEngine, WorkflowName } from './ports.ts';

const SERVICE = 'The workflow engine';

/** SendTask* errors that mean the task no longer waits for this token (decided, timed out, closed). */
const staleTokenErrors = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Step Functions limits for error and cause of SendTaskFailure. */
const ERROR_MAX = 256;
const CAUSE_MAX = 32_768;

export interface StepFunctionsWorkflowEngineOptions {
  client: SFNClient;
  /** The state machine ARN of each workflow deployed with this function (from CONVOY_*_STATE_MACHINE_ARN). */
  stateMachines: Partial<Record<WorkflowName, string>>;
}

/** `arn:…:stateMachine:<machine>` + name → `arn:…:execution:<machine>:<name>`. */
export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts and resumes Step Functions Standard executions.
 *
 * `start` is idempotent per execution name: Step Functions itself answers a repeated StartExecution of a
 * running execution with the same input; for a closed one it raises ExecutionAlreadyExists, and then
 * the existing execution's input decides: the same input (compared as canonical JSON) is success, a
 * different one is a `conflict`. A task token that no longer waits (decided, timed out, execution
 * closed) is a `conflict` with `context.staleTaskToken`: the caller's decision is recorded, the
 * workflow has moved on. Throttling and service errors are `unavailable`.
 */
export class StepFunctionsWorkflowEngine implements WorkflowEngine {
  private readonly client: SFNClient;
  private readonly stateMachines: Partial<Record<WorkflowName, string>>;

  constructor(options: StepFunctionsWorkflowEngineOptions) {
    this.client = options.client;
    this.stateMachines = options.stateMachines;
  }

  async start(request: {
    workflow: WorkflowName;
    name: string;
    input: Record<string, unknown>;
  }): Promise<{ executionId: string }> {
    const stateMachineArn = this.stateMachines[request.workflow];
    if (stateMachineArn === undefined) {
      throw new ConvoyError(
        'unavailable',
        `The ${request.workflow} workflow is not configured in this process.`,
        {
          context: { workflow: request.workflow },
        },
      );
    }
    const input = JSON.stringify(request.input);
    try {
      const started = await this.client.send(
        new StartExecutionCommand({ stateMachineArn, name: request.name, input }),
      );
      return { executionId: started.executionArn ?? executionArnOf(stateMachineArn, request.name) };
    } catch (error) {
      if (awsErrorName(error) !== 'ExecutionAlreadyExists') throw translateAwsError(SERVICE, error);
      return this.existing(stateMachineArn, request.name, request.input, error);
    }
  }

  private async existing(
    stateMachineArn: string,
    name: string,
    input: Record<string, unknown>,
    alreadyExists: unknown,
  ): Promise<{ executionId: string }> {
    const executionArn = executionArnOf(stateMachineArn, name);
    let existingInput: string | undefined;
    try {
      existingInput = (await this.client.send(new DescribeExecutionCommand({ executionArn }))).input;
    } catch (error) {
      throw translateAwsError(SERVICE, error);
    }
    if (existingInput !== undefined && sameJson(existingInput, input)) return { executionId: executionArn };
    throw new ConvoyError(
      'conflict',
      `A workflow execution named ${name} already exists with another input.`,
      {
        cause: alreadyExists,
        context: { executionId: executionArn },
      },
    );
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void> {
    await this.sendTask(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
    );
  }

  async stop(request: { workflow: WorkflowName; name: string; cause: string }): Promise<void> {
    const stateMachineArn = this.stateMachines[request.workflow];
    if (stateMachineArn === undefined) {
      throw new ConvoyError(
        'unavailable',
        `The ${request.workflow} workflow is not configured in this process.`,
        {
          context: { workflow: request.workflow },
        },
      );
    }
    try {
      await this.client.send(
        new StopExecutionCommand({
          executionArn: executionArnOf(stateMachineArn, request.name),
          cause: request.cause.slice(0, CAUSE_MAX),
        }),
      );
    } catch (error) {
      // Stopping an execution that does not exist is done: nothing runs under that name.
      if (awsErrorName(error) === 'ExecutionDoesNotExist') return;
      throw translateAwsError(SERVICE, error);
    }
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    await this.sendTask(() =>
      this.client.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: error.slice(0, ERROR_MAX),
          cause: cause.slice(0, CAUSE_MAX),
        }),
      ),
    );
  }

  private async sendTask(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const name = awsErrorName(error);
      if (name !== undefined && staleTokenErrors.has(name)) {
        throw new ConvoyError('conflict', 'The workflow no longer waits for this task token.', {
          cause: error,
          context: { staleTaskToken: true, awsError: name },
        });
      }
      throw translateAwsError(SERVICE, error);
    }
  }
}

const sameJson = (text: string, value: Record<string, unknown>): boolean => {
  try {
    return canonicalJson(JSON.parse(text)) === canonicalJson(value);
  } catch {
    return false;
  }
};
