import { randomUUID } from 'node:crypto';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import { ConvoyError } from '#domain/core/errors.ts';
import { canonicalJson } from '#domain/core/json.ts';
import type { WorkflowName } from '#integrations/ports.ts';
import { observedStateMachine } from './observed-state-machine.ts';
import { readReferencePath } from './reference-path.ts';
import type { VirtualClock } from './virtual-clock.ts';
import { retryPauseMs, runtimeError, virtualWaitState, waitEnd, type Retrier } from './virtual-waits.ts';

/** A Lambda function as the runner invokes it: the payload in, the function's result out. */
export type LocalFunction = (payload: unknown) => Promise<unknown>;
/** A service integration (`arn:aws:states:::events:putEvents`, …): the task's Parameters in, its result out. */
export type LocalIntegration = (parameters: unknown) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  executionId: string;
  workflow: WorkflowName;
  name: string;
  input: Record<string, unknown>;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Every state entered, in order (a loop shows its state once per round). */
  history: { state: string; type: string; at: string }[];
  /** Task tokens the execution waits for right now (after the task's own invocation returned). */
  waitingFor: string[];
}

export interface WorkflowRunnerOptions {
  /** Substituted definitions (see asl-definition.ts), by workflow. */
  workflows: Partial<Record<WorkflowName, StateMachineDefinition>>;
  /** Lambda functions by function name (the last segment of the ARN the definition names). */
  functions: Record<string, LocalFunction>;
  /** Service integrations by resource ARN without the `.waitForTaskToken` suffix. */
  integrations?: Record<string, LocalIntegration>;
  /** Workflow time runs this many times faster: waits, task timeouts and retry pauses. @default 1 */
  timeScale?: number;
  /**
   * Epoch milliseconds of workflow time: Timestamp waits and `$$.State.EnteredTime` (the rollout's
   * tasks reckon bakes in it). @default Date.now
   */
  clock?: () => number;
  /**
   * Virtual time (the simulator): Wait states, retry pauses (IntervalSeconds × BackoffRate^n, no
   * jitter) and task timeouts run on this clock, which only moves while every execution is parked in
   * one of them or in a `.waitForTaskToken` wait. Excludes `timeScale`; `clock` defaults to it.
   */
  virtualClock?: VirtualClock;
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

const WAIT_FOR_TOKEN = '.waitForTaskToken';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** Under setTimeout's 2^31-1 ms ceiling: the engine's own task timer; the runner enforces the real one. */
const ENGINE_TASK_TIMEOUT_SECONDS = 2_000_000;
const ACCOUNT = '000000000000';

/** The engine types task results as JSON values; the runner's bindings return JSON. */
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

type StateJson = Record<string, unknown> & { Type?: string; Resource?: string };

const errorNamed = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** A JSON round trip (undefined becomes null), as a value crossing into or out of Lambda. */
const jsonCopy = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);

/** The name of a Lambda function from its name, ARN or qualified ARN. */
const functionNameOf = (nameOrArn: string): string => {
  const match = /:function:([^:]+)/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
};

/**
 * What the local engine runs: the definition with every top-level Task's timeout taken over by the
 * runner (the engine would evaluate TimeoutSecondsPath against the Parameters output, not the state
 * input, and would stop any task after 60 s by default; Step Functions has no default timeout). In
 * virtual time, Wait states become tasks the runner parks on the virtual clock.
 */
const engineDefinition = (definition: StateMachineDefinition, virtual: boolean): StateMachineDefinition => {
  const states = Object.fromEntries(
    Object.entries(definition.States as Record<string, StateJson>).map(([name, state]) => {
      if (virtual && state.Type === 'Wait') return [name, virtualWaitState(state)];
      if (state.Type !== 'Task') return [name, state];
      const {
        TimeoutSeconds: _timeout,
        TimeoutSecondsPath: _timeoutPath,
        HeartbeatSeconds: _heartbeat,
        HeartbeatSecondsPath: _heartbeatPath,
        ...rest
      } = state;
      return [name, { ...rest, TimeoutSeconds: ENGINE_TASK_TIMEOUT_SECONDS }];
    }),
  );
  return { ...definition, States: states } as StateMachineDefinition;
};

/** Engine definitions (as JSON) this process has validated already. */
const validatedDefinitions = new Set<string>();

interface Waiter {
  executionId: string;
  waiting: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

interface Execution {
  record: ExecutionRecord;
  states: Record<string, StateJson>;
  /** The state being run and the input it entered with (the hook sees it before the state reads it). */
  current?: { name: string; input: unknown };
  /** `$$.Task.Token`: a fresh token each time a Task state is entered. */
  task: { Token: string };
  /** `$$.State`: the state being run and when it was entered, on the workflow's clock (`clock`). */
  state: { Name: string; EnteredTime: string };
  abort: () => void;
  aborted: Promise<never>;
  rejectAborted: (error: Error) => void;
  done: Promise<void>;
  /** Virtual time: releases the execution's hold on the clock (undefined while parked). */
  release?: () => void;
  /** Virtual time: the pause the engine's last retry of the current state owes. */
  retryPauseMs: number;
}

/**
 * Runs workflows from their ASL files on aws-local-stepfunctions, as Step Functions would:
 * - Task states are bound by resource: `lambda:invoke` (and plain function ARNs) to local functions,
 *   other integrations (`events:putEvents`, …) to local bindings; `.waitForTaskToken` tasks invoke, then
 *   wait until `sendTaskSuccess`/`sendTaskFailure` with the `$$.Task.Token` they were given, or until
 *   their timeout (`States.Timeout`);
 * - Wait states, task timeouts and retry pauses run `timeScale` times faster, or on a virtual clock;
 * - function errors surface as Step Functions reports them: the error name is the function's error
 *   type, the cause its JSON `{ errorType, errorMessage }`.
 */
export const createWorkflowRunner = (options: WorkflowRunnerOptions): WorkflowRunner => {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new Error(`timeScale must be a positive number, not ${scale}`);
  const virtual = options.virtualClock;
  if (virtual && scale !== 1) throw new Error('timeScale does not apply to a virtual clock');
  const clock = options.clock ?? (virtual ? () => virtual.now() : Date.now);
  /** Record stamps: virtual time in virtual mode (formatted once per instant), the wall clock otherwise. */
  let stamped = { at: Number.NaN, text: '' };
  const stamp = (): string => {
    const at = virtual ? virtual.now() : Date.now();
    if (at !== stamped.at) stamped = { at, text: new Date(at).toISOString() };
    return stamped.text;
  };
  const executions = new Map<string, Execution>();
  /** Each workflow's definition as the engine runs it, once validated. */
  const engines = new Map<WorkflowName, StateMachineDefinition>();
  let stopping = false;
  const waiters = new Map<string, Waiter>();
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const watcher of [...watchers]) watcher();
  };

  // Fail fast: every Task of every workflow has a local binding.
  for (const [workflow, definition] of Object.entries(options.workflows)) {
    for (const [name, state] of Object.entries(definition.States as Record<string, StateJson>)) {
      if (state.Type === 'Task') bindingOf(`${workflow}/${name}`, state.Resource ?? '');
      // One hold per execution: branches running side by side would need one each.
      if (virtual && (state.Type === 'Parallel' || state.Type === 'Map'))
        throw new Error(`${workflow}/${name}: ${state.Type} states do not run on a virtual clock`);
    }
  }

  /** Virtual time: the execution works again (holds the clock); a no-op once it has ended. */
  const unpark = (execution: Execution): void => {
    if (virtual && !execution.release && execution.record.status === 'RUNNING')
      execution.release = virtual.hold();
  };
  /** Virtual time: the execution waits (lets the clock move). */
  const park = (execution: Execution): void => {
    execution.release?.();
    execution.release = undefined;
  };

  /** Virtual time: park the execution until the clock reaches `at` (or it is aborted). */
  const sleepUntil = async (execution: Execution, clockAt: number): Promise<void> => {
    let cancel: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      cancel = (virtual as VirtualClock).setTimer(clockAt, () => {
        unpark(execution);
        resolve();
      });
    });
    park(execution);
    try {
      await Promise.race([woken, execution.aborted]);
    } finally {
      cancel();
    }
  };

  function bindingOf(where: string, resource: string): (parameters: unknown) => Promise<unknown> {
    const base = resource.endsWith(WAIT_FOR_TOKEN) ? resource.slice(0, -WAIT_FOR_TOKEN.length) : resource;
    if (base === LAMBDA_INVOKE) {
      return async (parameters) => {
        const { FunctionName, Payload } = (parameters ?? {}) as { FunctionName?: string; Payload?: unknown };
        const result = await invokeFunction(String(FunctionName), Payload ?? {});
        return { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 };
      };
    }
    if (base.startsWith('arn:aws:lambda:')) return (parameters) => invokeFunction(base, parameters);
    const integration = options.integrations?.[base];
    if (integration === undefined) throw new Error(`No local binding for ${resource} (state ${where})`);
    return integration;
  }

  async function invokeFunction(nameOrArn: string, payload: unknown): Promise<unknown> {
    const fn = options.functions[functionNameOf(nameOrArn)];
    if (fn === undefined) {
      throw errorNamed('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`);
    }
    try {
      // Payloads cross a process boundary in Lambda: the function gets its own copy, as JSON.
      return jsonCopy(await fn(jsonCopy(payload)));
    } catch (error) {
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      throw errorNamed(errorType, JSON.stringify({ errorType, errorMessage }));
    }
  }

  /** `<field>Seconds`, or the positive integer `<field>SecondsPath` selects from the state input. */
  const secondsOf = (
    state: StateJson,
    input: unknown,
    field: 'Timeout' | 'Heartbeat',
  ): number | undefined => {
    const fixed = state[`${field}Seconds`];
    const path = state[`${field}SecondsPath`];
    if (typeof fixed === 'number') return fixed;
    if (typeof path !== 'string') return undefined;
    const seconds = readReferencePath(input, path);
    if (!Number.isInteger(seconds) || (seconds as number) < 1) {
      throw runtimeError(
        `${field}SecondsPath ${path} selected ${JSON.stringify(seconds)}, not a positive integer`,
      );
    }
    return seconds as number;
  };

  /**
   * Milliseconds (scaled) a Task may run, from its TimeoutSeconds(Path) and HeartbeatSeconds(Path)
   * (no heartbeat is ever sent locally, so the heartbeat is a limit too); undefined when unlimited.
   */
  const taskTimeoutMs = (state: StateJson, input: unknown): number | undefined => {
    const limits = [secondsOf(state, input, 'Timeout'), secondsOf(state, input, 'Heartbeat')].filter(
      (seconds) => seconds !== undefined,
    );
    return limits.length === 0 ? undefined : (Math.min(...limits) * 1000) / scale;
  };

  /** Milliseconds (scaled) a Wait state pauses; undefined lets the engine decide (unknown input). */
  const waitMs = (execution: Execution, name: string): number | undefined => {
    const state = execution.states[name];
    if (state?.Type !== 'Wait') return undefined;
    const input = execution.current?.name === name ? execution.current.input : undefined;
    let ms: number | undefined;
    if (typeof state.Seconds === 'number') ms = state.Seconds * 1000;
    else if (typeof state.Timestamp === 'string') ms = Date.parse(state.Timestamp) - clock();
    else if (input !== undefined && typeof state.SecondsPath === 'string') {
      const seconds = readReferencePath(input, state.SecondsPath);
      ms = typeof seconds === 'number' ? seconds * 1000 : undefined;
    } else if (input !== undefined && typeof state.TimestampPath === 'string') {
      const at = readReferencePath(input, state.TimestampPath);
      ms = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? Date.parse(at) - clock() : undefined;
    }
    return ms === undefined ? undefined : Math.max(0, ms / scale);
  };

  /**
   * Retry pauses, scaled (without backoff or jitter); the engine's own when time is not scaled. In
   * virtual time the engine does not pause: the runner does, on the clock, before the next attempt.
   */
  const retryMs = (execution: Execution, name: string): number[] | undefined => {
    const retriers = execution.states[name]?.Retry;
    if (!Array.isArray(retriers)) return undefined;
    if (virtual) return retriers.map(() => 0);
    if (scale === 1) return undefined;
    return retriers.map(
      (retrier: { IntervalSeconds?: number }) => ((retrier.IntervalSeconds ?? 1) * 1000) / scale,
    );
  };

  /** Now, for deadlines: virtual epoch ms, or performance.now(). */
  const deadlineNow = (): number => (virtual ? virtual.now() : performance.now());

  /** Calls `fire` at `deadline` (see deadlineNow); returns the cancel. */
  const deadlineTimer = (execution: Execution, deadline: number, fire: () => void): (() => void) => {
    if (virtual) {
      return virtual.setTimer(deadline, () => {
        unpark(execution);
        fire();
      });
    }
    const timer = setTimeout(fire, Math.max(0, deadline - performance.now()));
    return () => {
      clearTimeout(timer);
    };
  };

  const withDeadline = async <T>(
    execution: Execution,
    work: Promise<T>,
    deadline: number | undefined,
  ): Promise<T> => {
    const racers: Promise<T>[] = [work, execution.aborted];
    let cancel: () => void = () => undefined;
    if (deadline !== undefined) {
      racers.push(
        new Promise<never>((_resolve, reject) => {
          cancel = deadlineTimer(execution, deadline, () => {
            reject(errorNamed('States.Timeout', 'The task timed out.'));
          });
        }),
      );
    }
    try {
      return await Promise.race(racers);
    } finally {
      cancel();
    }
  };

  const taskHandler =
    (execution: Execution, name: string, state: StateJson) =>
    async (parameters: unknown): Promise<unknown> => {
      // A retry the engine schedules after an abort must not invoke anything.
      if (execution.record.status !== 'RUNNING')
        throw errorNamed('States.Aborted', 'The execution was aborted.');
      if (virtual) {
        if (state.Type === 'Wait') {
          await sleepUntil(execution, waitEnd(state, parameters, virtual.now()));
          return parameters;
        }
        const pause = execution.retryPauseMs;
        execution.retryPauseMs = 0;
        if (pause > 0) await sleepUntil(execution, virtual.now() + pause);
      }
      const input = execution.current?.name === name ? execution.current.input : parameters;
      const timeout = taskTimeoutMs(state, input);
      const deadline = timeout === undefined ? undefined : deadlineNow() + timeout;
      const invoke = bindingOf(name, state.Resource ?? '');
      if (!(state.Resource ?? '').endsWith(WAIT_FOR_TOKEN)) {
        return await withDeadline(execution, invoke(parameters), deadline);
      }
      // Listen before invoking: the function may resume its own token (a decision that came first).
      const token = execution.task.Token;
      const resumed = new Promise<unknown>((resolve, reject) => {
        waiters.set(token, { executionId: execution.record.executionId, waiting: false, resolve, reject });
      });
      resumed.catch(() => undefined);
      try {
        await withDeadline(execution, invoke(parameters), deadline);
        const waiter = waiters.get(token);
        if (waiter) {
          waiter.waiting = true;
          execution.record.waitingFor = [...execution.record.waitingFor, token];
          park(execution);
          notify();
        }
        return await withDeadline(execution, resumed, deadline);
      } finally {
        waiters.delete(token);
        execution.record.waitingFor = execution.record.waitingFor.filter((t) => t !== token);
      }
    };

  const snapshot = (execution: Execution): ExecutionRecord => structuredClone(execution.record);

  const run = (workflow: WorkflowName, name: string, input: Record<string, unknown>): Execution => {
    const definition = options.workflows[workflow];
    if (definition === undefined) {
      throw new ConvoyError('unavailable', `The ${workflow} workflow is not configured in this process.`);
    }
    const machineName = `convoy-${workflow}`;
    const executionId = `arn:aws:states:local:${ACCOUNT}:execution:${machineName}:${name}`;
    let rejectAborted: (error: Error) => void = () => undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      rejectAborted = reject;
    });
    aborted.catch(() => undefined);
    const execution: Execution = {
      record: {
        executionId,
        workflow,
        name,
        input: structuredClone(input),
        status: 'RUNNING',
        startedAt: stamp(),
        history: [],
        waitingFor: [],
      },
      states: definition.States as Record<string, StateJson>,
      task: { Token: '' },
      state: { Name: '', EnteredTime: '' },
      abort: () => undefined,
      aborted,
      rejectAborted,
      done: Promise.resolve(),
      retryPauseMs: 0,
    };
    const engine = engines.get(workflow) ?? engineDefinition(definition, virtual !== undefined);
    // The engine validates a definition against the ASL schema in 0.1-0.2 s: once per process is enough.
    const text = JSON.stringify(engine);
    const validated = validatedDefinitions.has(text);
    const machine = observedStateMachine(
      engine,
      { validationOptions: validated ? { noValidate: true } : { checkArn: true, checkPaths: true } },
      ({ name: state, type: engineType, input: stateInput }) => {
        // In virtual time the engine runs Wait states as tasks: report what the definition says.
        const type = execution.states[state]?.Type ?? engineType;
        execution.current = { name: state, input: stateInput };
        if (type === 'Task') execution.task.Token = `local-${randomUUID()}`;
        Object.assign(execution.state, { Name: state, EnteredTime: new Date(clock()).toISOString() });
        execution.record.history.push({ state, type, at: stamp() });
        notify();
      },
      ({ retrier, attempt }) => {
        if (virtual) execution.retryPauseMs = retryPauseMs(retrier as Retrier, attempt);
      },
    );
    const handlers = Object.fromEntries(
      Object.entries(execution.states)
        .filter(([, state]) => state.Type === 'Task' || (virtual && state.Type === 'Wait'))
        .map(([state, json]) => [state, taskHandler(execution, state, json)]),
    ) as TaskHandlers;
    engines.set(workflow, engine);
    validatedDefinitions.add(text);
    // Virtual time: the execution holds the clock from its start, except while parked.
    unpark(execution);
    const started = machine.run(input as never, {
      noThrowOnAbort: true,
      context: {
        Execution: { Id: executionId, Name: name },
        StateMachine: {
          Id: `arn:aws:states:local:${ACCOUNT}:stateMachine:${machineName}`,
          Name: machineName,
        },
        Task: execution.task,
        State: execution.state,
      },
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: new Proxy<Record<string, number>>(
          {},
          {
            get: (_target, state) => (typeof state === 'string' ? waitMs(execution, state) : undefined),
          },
        ),
        retryIntervalOverrides: new Proxy<Record<string, number[]>>(
          {},
          {
            get: (_target, state) => (typeof state === 'string' ? retryMs(execution, state) : undefined),
          },
        ),
      },
    });
    execution.abort = () => {
      execution.record.status = 'ABORTED';
      execution.rejectAborted(errorNamed('States.Aborted', 'The execution was aborted.'));
      started.abort();
    };
    execution.done = started.result
      .then(
        (output) => {
          if (execution.record.status !== 'RUNNING') return;
          execution.record.status = 'SUCCEEDED';
          execution.record.output = output;
        },
        (error: unknown) => {
          if (execution.record.status !== 'RUNNING') return;
          const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
          execution.record.status = 'FAILED';
          execution.record.error = cause instanceof Error ? cause.name : 'Error';
          execution.record.cause = cause instanceof Error ? cause.message : String(cause);
        },
      )
      .then(() => {
        execution.record.stoppedAt = stamp();
        options.onExecutionEnd?.(snapshot(execution));
        notify();
        park(execution);
      });
    return execution;
  };

  const waiterFor = (token: string): Waiter => {
    const waiter = waiters.get(token);
    if (waiter === undefined) {
      throw new ConvoyError('conflict', 'The workflow no longer waits for this task token.', {
        context: { staleTaskToken: true },
      });
    }
    return waiter;
  };

  /** Virtual time: the execution a resumed token belongs to works again. */
  const wake = (waiter: Waiter): void => {
    const execution = executions.get(waiter.executionId);
    if (execution) unpark(execution);
  };

  return {
    start({ workflow, name, input }) {
      if (stopping) throw new ConvoyError('unavailable', 'The workflow engine is stopping.');
      const existing = [...executions.values()].find(
        (e) => e.record.workflow === workflow && e.record.name === name,
      );
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
      const execution = run(workflow, name, input);
      executions.set(execution.record.executionId, execution);
      return snapshot(execution);
    },
    sendTaskSuccess(token, output) {
      const waiter = waiterFor(token);
      waiters.delete(token);
      wake(waiter);
      waiter.resolve(jsonCopy(output));
    },
    sendTaskFailure(token, error, cause) {
      const waiter = waiterFor(token);
      waiters.delete(token);
      wake(waiter);
      waiter.reject(errorNamed(error, cause));
    },
    stopExecution({ workflow, name, cause }) {
      const execution = [...executions.values()].find(
        (e) => e.record.workflow === workflow && e.record.name === name,
      );
      if (execution?.record.status !== 'RUNNING') return;
      execution.record.cause = cause;
      execution.abort();
      // Its tokens no longer wait: answering one is stale, as Step Functions says.
      for (const [token, waiter] of waiters)
        if (waiter.executionId === execution.record.executionId) waiters.delete(token);
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
      waiters.clear();
      await Promise.all(running.map((e) => e.done));
    },
  };
};
