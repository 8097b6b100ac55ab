import { readReferencePath } from './reference-path.ts';

/**
 * How the workflow runner keeps Wait states and retry pauses on a virtual clock. The engine sleeps on
 * real timers, so in virtual mode each Wait state runs as a Task bound to this resource: the runner
 * parks the execution until the virtual clock reaches the wait's end, then passes the input through
 * (a Task without Parameters, ResultSelector or ResultPath outputs its result, as a Wait outputs its
 * input; InputPath and OutputPath apply as they would).
 */
export const VIRTUAL_WAIT_RESOURCE = 'arn:aws:states:::convoy:virtualWait';

type StateJson = Record<string, unknown> & { Type?: string };

/** A Wait state as the engine runs it in virtual mode. */
export const virtualWaitState = (state: StateJson): StateJson => {
  const {
    Seconds: _seconds,
    SecondsPath: _secondsPath,
    Timestamp: _timestamp,
    TimestampPath: _timestampPath,
    ...rest
  } = state;
  return { ...rest, Type: 'Task', Resource: VIRTUAL_WAIT_RESOURCE };
};

/** Like Step Functions' States.Runtime: no Retry or Catch (States.ALL included) handles it. */
export const runtimeError = (message: string): Error =>
  Object.assign(new Error(message), { name: 'States.Runtime', isRetryable: false, isCatchable: false });

const instant = (value: unknown, what: string): number => {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw runtimeError(`${what} selected ${JSON.stringify(value)}, not a timestamp`);
  return at;
};

const seconds = (value: unknown, what: string): number => {
  if (!Number.isInteger(value) || (value as number) < 0)
    throw runtimeError(`${what} selected ${JSON.stringify(value)}, not a non-negative integer`);
  return value as number;
};

/**
 * When (epoch ms) a Wait state entered at `now` with `input` (after InputPath) ends: Seconds,
 * SecondsPath, Timestamp or TimestampPath. A path that selects no usable value fails the execution.
 */
export const waitEnd = (state: StateJson, input: unknown, now: number): number => {
  if (typeof state.Seconds === 'number') return now + state.Seconds * 1000;
  if (typeof state.Timestamp === 'string') return instant(state.Timestamp, 'Timestamp');
  if (typeof state.SecondsPath === 'string') {
    const value = readReferencePath(input, state.SecondsPath);
    return now + seconds(value, `SecondsPath ${state.SecondsPath}`) * 1000;
  }
  // The engine's schema check guarantees one of the four.
  const path = state.TimestampPath as string;
  return instant(readReferencePath(input, path), `TimestampPath ${path}`);
};

export interface Retrier {
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

/**
 * The pause before retry number `attempt` (1 for the first) of a retrier, as Step Functions computes
 * it without jitter: IntervalSeconds × BackoffRate^(attempt-1), capped by MaxDelaySeconds.
 */
export const retryPauseMs = (retrier: Retrier, attempt: number): number => {
  const interval = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  const capped =
    retrier.MaxDelaySeconds === undefined ? interval : Math.min(interval, retrier.MaxDelaySeconds);
  return capped * 1000;
};
