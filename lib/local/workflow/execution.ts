import type { WorkflowName } from '#integrations/ports.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** What the runner tells about an execution: a snapshot, never the live record. */
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

/** A state of an ASL definition, as JSON. */
export type StateJson = Record<string, unknown> & { Type?: string; Resource?: string };

/** A running (or finished) execution as the runner's parts share it. */
export interface Execution {
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

export const snapshot = (execution: Execution): ExecutionRecord => structuredClone(execution.record);

/** An error as Step Functions names it (`States.Timeout`, a function's error type, …). */
export const errorNamed = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });
