import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { VirtualClock } from '../virtual-clock.ts';
import { engineDefinition } from './engine-definition.ts';
import { errorNamed, type Execution, type StateJson } from './execution.ts';
import { readReferencePath } from './reference-path.ts';
import { runtimeError } from './virtual-waits.ts';

export interface TimeOptions {
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
}

/** `<field>Seconds`, or the positive integer `<field>SecondsPath` selects from the state input. */
const secondsOf = (state: StateJson, input: unknown, field: 'Timeout' | 'Heartbeat'): number | undefined => {
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
 * How long things take in workflow time: waits, task timeouts and retry pauses run `timeScale` times
 * faster, or on a virtual clock that an execution holds while it works and lets go while it waits.
 */
export const createTimePolicy = (options: TimeOptions) => {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new Error(`timeScale must be a positive number, not ${scale}`);
  const virtual = options.virtualClock;
  if (virtual && scale !== 1) throw new Error('timeScale does not apply to a virtual clock');
  const clock = options.clock ?? (virtual ? () => virtual.now() : Date.now);
  /** Record stamps: virtual time in virtual mode (formatted once per instant), the wall clock otherwise. */
  let stamped = { at: Number.NaN, text: '' };

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

  /** Calls `fire` at `deadline` (virtual epoch ms, or performance.now()); returns the cancel. */
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

  return {
    virtual,
    clock,
    unpark,
    park,
    stamp: (): string => {
      const at = virtual ? virtual.now() : Date.now();
      if (at !== stamped.at) stamped = { at, text: new Date(at).toISOString() };
      return stamped.text;
    },

    /** Throws for a state this policy cannot time (one hold per execution: no branches side by side). */
    checkState(where: string, state: StateJson): void {
      if (virtual && (state.Type === 'Parallel' || state.Type === 'Map'))
        throw new Error(`${where}: ${state.Type} states do not run on a virtual clock`);
    },

    /** The definition as the local engine runs it, on this policy's time (engine-definition.ts). */
    engineDefinition: (definition: StateMachineDefinition): StateMachineDefinition =>
      engineDefinition(definition, virtual !== undefined),

    /** Virtual time: park the execution until the clock reaches `at` (or it is aborted). */
    async sleepUntil(execution: Execution, clockAt: number): Promise<void> {
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
    },

    /**
     * When a Task entered now with `input` must have ended (see deadlineTimer), from its
     * TimeoutSeconds(Path) and HeartbeatSeconds(Path), scaled (no heartbeat is ever sent locally, so
     * the heartbeat is a limit too); undefined when unlimited.
     */
    taskDeadline(state: StateJson, input: unknown): number | undefined {
      const limits = [secondsOf(state, input, 'Timeout'), secondsOf(state, input, 'Heartbeat')].filter(
        (seconds) => seconds !== undefined,
      );
      if (limits.length === 0) return undefined;
      return (virtual ? virtual.now() : performance.now()) + (Math.min(...limits) * 1000) / scale;
    },

    /** `work`, unless the execution is aborted or the deadline passes first (`States.Timeout`). */
    async withDeadline<T>(execution: Execution, work: Promise<T>, deadline: number | undefined): Promise<T> {
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
    },

    /** Milliseconds (scaled) a Wait state pauses; undefined lets the engine decide (unknown input). */
    waitMs(execution: Execution, name: string): number | undefined {
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
    },

    /**
     * Retry pauses, scaled (without backoff or jitter); the engine's own when time is not scaled. In
     * virtual time the engine does not pause: the runner does, on the clock, before the next attempt.
     */
    retryMs(execution: Execution, name: string): number[] | undefined {
      const retriers = execution.states[name]?.Retry;
      if (!Array.isArray(retriers)) return undefined;
      if (virtual) return retriers.map(() => 0);
      if (scale === 1) return undefined;
      return retriers.map(
        (retrier: { IntervalSeconds?: number }) => ((retrier.IntervalSeconds ?? 1) * 1000) / scale,
      );
    },
  };
};

export type TimePolicy = ReturnType<typeof createTimePolicy>;
