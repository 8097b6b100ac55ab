import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { ConvoyError } from '#domain/core/errors.ts';
import { canonicalJson } from '#domain/core/json.ts';
import type { WorkflowName } from '#integrations/ports.ts';
import { runExecution, type LifecycleParts } from './execution-lifecycle.ts';
import { snapshot, type Execution, type ExecutionRecord, type StateJson } from './execution.ts';
import { createTaskBindings, type LocalFunction, type LocalIntegration } from './task-bindings.ts';
import { createTaskTokens } from './task-tokens.ts';
import { createTimePolicy, type TimeOptions } from './time-policy.ts';

export interface WorkflowRunnerOptions extends TimeOptions {
  /** Substituted definitions (see asl-definition.ts), by workflow. */
  workflows: Partial<Record<WorkflowName, StateMachineDefinition>>;
  /** Lambda functions by function name (the last segment of the ARN the definition names). */
  functions: Record<string, LocalFunction>;
  /** Service integrations by resource ARN without the `.waitForTaskToken` suffix. */
  integrations?: Record<string, LocalIntegration>;
  /** Told about every execution that ends (succeeded, failed, aborted). */
  onExecutionEnd?: (execution: ExecutionRecord) => void;
}

/** The runner's handle on workflows; the LocalWorkflowEngine adapter exposes it through the port. */
export interface WorkflowRunner {
  /** Idempotent per workflow and name: the same input returns the running or finished execution. */
  start(request: { workflow: WorkflowName; name: string; input: Record<string, unknown> }): ExecutionRecord;
  sendTaskSuccess(token: string, output: Record<string, unknown>): void;
  sendTaskFailure(token: string, error: string, cause: string): void;
  /** StopExecution: a running execution of `workflow` named `name` is aborted; any other is left as is. */
  stopExecution(request: { workflow: WorkflowName; name: string; cause: string }): void;
  /** A snapshot of an execution, by id. */
  describe(executionId: string): ExecutionRecord | undefined;
  list(): ExecutionRecord[];
  /**
   * Resolves with the execution once `predicate` holds (checked at every state entry, token change and
   * at the end); rejects if the execution ends without it ever holding.
   */
  until(executionId: string, predicate: (execution: ExecutionRecord) => boolean): Promise<ExecutionRecord>;
  /** Aborts every running execution and forgets the tokens; resolves when they have all settled. */
  stop(): Promise<void>;
}

/**
 * Runs workflows from their ASL files on aws-local-stepfunctions, as Step Functions would: Task
 * states run their local bindings (task-bindings.ts), `.waitForTaskToken` tasks wait for their token
 * (task-tokens.ts), waits, timeouts and retry pauses run on the workflow's time (time-policy.ts).
 */
export const createWorkflowRunner = (options: WorkflowRunnerOptions): WorkflowRunner => {
  const time = createTimePolicy(options);
  const bindingOf = createTaskBindings(options.functions, options.integrations);
  const executions = new Map<string, Execution>();
  let stopping = false;
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const watcher of [...watchers]) watcher();
  };
  // Virtual time: the execution a resumed token belongs to works again.
  const tokens = createTaskTokens((executionId) => {
    const execution = executions.get(executionId);
    if (execution) time.unpark(execution);
  });
  const parts: LifecycleParts = {
    time,
    bindingOf,
    tokens,
    notify,
    workflows: options.workflows,
    engines: new Map(),
    onExecutionEnd: options.onExecutionEnd,
  };

  // Fail fast: every Task of every workflow has a local binding, every state runs on the clock.
  for (const [workflow, definition] of Object.entries(options.workflows)) {
    for (const [name, state] of Object.entries(definition.States as Record<string, StateJson>)) {
      if (state.Type === 'Task') bindingOf(`${workflow}/${name}`, state.Resource ?? '');
      time.checkState(`${workflow}/${name}`, state);
    }
  }

  const named = (workflow: WorkflowName, name: string): Execution | undefined =>
    [...executions.values()].find((e) => e.record.workflow === workflow && e.record.name === name);

  return {
    start({ workflow, name, input }) {
      if (stopping) throw new ConvoyError('unavailable', 'The workflow engine is stopping.');
      const existing = named(workflow, name);
      if (existing) {
        if (canonicalJson(existing.record.input) === canonicalJson(input)) return snapshot(existing);
        throw new ConvoyError(
          'conflict',
          `A workflow execution named ${name} already exists with another input.`,
          {
            context: { executionId: existing.record.executionId },
          },
        );
      }
      const execution = runExecution(parts, workflow, name, input);
      executions.set(execution.record.executionId, execution);
      return snapshot(execution);
    },
    sendTaskSuccess(token, output) {
      tokens.resume(token, output);
    },
    sendTaskFailure(token, error, cause) {
      tokens.fail(token, error, cause);
    },
    stopExecution({ workflow, name, cause }) {
      const execution = named(workflow, name);
      if (execution?.record.status !== 'RUNNING') return;
      execution.record.cause = cause;
      execution.abort();
      // Its tokens no longer wait: answering one is stale, as Step Functions says.
      tokens.forgetExecution(execution.record.executionId);
    },
    describe(executionId) {
      const execution = executions.get(executionId);
      return execution ? snapshot(execution) : undefined;
    },
    list() {
      return [...executions.values()].map(snapshot);
    },
    until(executionId, predicate) {
      const execution = executions.get(executionId);
      if (!execution) return Promise.reject(new ConvoyError('not-found', `No execution ${executionId}.`));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const current = snapshot(execution);
          if (predicate(current)) {
            watchers.delete(check);
            resolve(current);
          } else if (current.status !== 'RUNNING' && current.stoppedAt !== undefined) {
            watchers.delete(check);
            reject(
              new Error(
                `Execution ${executionId} ended ${current.status} (${current.error ?? 'no error'}) without reaching the expected state; history: ${current.history.map((h) => h.state).join(' → ')}`,
              ),
            );
          }
        };
        watchers.add(check);
        check();
      });
    },
    async stop() {
      stopping = true;
      const running = [...executions.values()].filter((e) => e.record.status === 'RUNNING');
      for (const execution of running) execution.abort();
      tokens.clear();
      await Promise.all(running.map((e) => e.done));
    },
  };
};
