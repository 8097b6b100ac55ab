import type { WorkflowEngine, WorkflowName } from '#integrations/ports.ts';
import type { WorkflowRunner } from './workflow/workflow-runner.ts';

/**
 * The embedded runtime's WorkflowEngine: executions run in this process on the local workflow runner
 * (the same ASL files, the same handlers). Behaves like StepFunctionsWorkflowEngine: `start` is
 * idempotent per name and input (another input is a `conflict`), and a token that no longer waits is a
 * `conflict` with `context.staleTaskToken`.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  private readonly runner: WorkflowRunner;

  constructor(runner: WorkflowRunner) {
    this.runner = runner;
  }

  start(request: {
    workflow: WorkflowName;
    name: string;
    input: Record<string, unknown>;
  }): Promise<{ executionId: string }> {
    return Promise.resolve().then(() => ({ executionId: this.runner.start(request).executionId }));
  }

  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void> {
    return Promise.resolve().then(() => {
      this.runner.sendTaskSuccess(token, output);
    });
  }

  stop(request: { workflow: WorkflowName; name: string; cause: string }): Promise<void> {
    return Promise.resolve().then(() => {
      this.runner.stopExecution(request);
    });
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    return Promise.resolve().then(() => {
      this.runner.sendTaskFailure(token, error, cause);
    });
  }
}
