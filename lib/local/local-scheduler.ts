import { ConvoyError } from '#domain/core/errors.ts';
import type { SchedulePlanner } from '#integrations/ports.ts';

/** setTimeout's ceiling (about 24.8 days): longer delays are waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ArmedSchedule {
  name: string;
  /** ISO instant the schedule fires at. */
  at: string;
  payload: Record<string, unknown>;
}

export interface LocalSchedulerOptions {
  /** What a schedule invokes (the freeze-activation handler in `convoy up`). */
  target: (payload: Record<string, unknown>) => Promise<unknown>;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Attempts per firing, like the Scheduler's retry policy. @default 3 */
  maxAttempts?: number;
  /** Pause before a retry (milliseconds). @default 1000 */
  retryDelayMs?: number;
  /** A firing that failed every attempt. */
  onError?: (schedule: ArmedSchedule, error: unknown) => void;
  /** A firing that succeeded. */
  onFired?: (schedule: ArmedSchedule) => void;
}

/** The embedded runtime's SchedulePlanner, plus what the runtime needs to observe and stop it. */
export interface LocalScheduler extends SchedulePlanner {
  /** Schedules that have not fired yet, soonest first. */
  armed(): ArmedSchedule[];
  /** Fires nothing more; resolves when firings in progress have settled. Idempotent. */
  stop(): Promise<void>;
}

/**
 * One-time schedules on wall-clock timers: the stand-in for EventBridge Scheduler in `convoy up`.
 * Like the real one: arming a name again replaces its schedule, a fired schedule is deleted before its
 * target runs (so the target may re-arm the same name), a time already past fires at once, failures
 * are retried. Freeze calendars are wall-clock time: workflow time scaling never applies here.
 * Timers do not keep the process alive.
 */
export const createLocalScheduler = (options: LocalSchedulerOptions): LocalScheduler => {
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const schedules = new Map<string, { schedule: ArmedSchedule; timer: NodeJS.Timeout }>();
  const firing = new Set<Promise<void>>();
  const retries = new Set<NodeJS.Timeout>();
  let stopped = false;

  const timer = (delay: number, run: () => void): NodeJS.Timeout => {
    const handle = setTimeout(run, Math.min(Math.max(0, delay), MAX_TIMER_MS));
    handle.unref();
    return handle;
  };

  const fire = async (schedule: ArmedSchedule, attempt: number): Promise<void> => {
    try {
      await options.target(structuredClone(schedule.payload));
      options.onFired?.(schedule);
    } catch (error) {
      if (attempt >= maxAttempts || stopped) {
        options.onError?.(schedule, error);
        return;
      }
      const retry = timer(retryDelayMs * attempt, () => {
        retries.delete(retry);
        track(fire(schedule, attempt + 1));
      });
      retries.add(retry);
    }
  };

  const track = (run: Promise<void>): void => {
    firing.add(run);
    void run.finally(() => firing.delete(run));
  };

  const wake = (schedule: ArmedSchedule): NodeJS.Timeout =>
    timer(Date.parse(schedule.at) - now(), () => {
      if (stopped || schedules.get(schedule.name)?.schedule !== schedule) return;
      if (Date.parse(schedule.at) > now()) {
        // A delay longer than one timer: wait the rest.
        schedules.set(schedule.name, { schedule, timer: wake(schedule) });
        return;
      }
      schedules.delete(schedule.name);
      track(fire(schedule, 1));
    });

  return {
    arm(input) {
      if (stopped) return Promise.reject(new ConvoyError('unavailable', 'The scheduler is stopped.'));
      if (Number.isNaN(Date.parse(input.at))) {
        return Promise.reject(
          new ConvoyError('bad-request', `"${input.at}" is not an ISO 8601 instant to schedule at.`),
        );
      }
      clearTimeout(schedules.get(input.name)?.timer);
      const schedule: ArmedSchedule = {
        name: input.name,
        at: new Date(Date.parse(input.at)).toISOString(),
        payload: structuredClone(input.payload),
      };
      schedules.set(input.name, { schedule, timer: wake(schedule) });
      return Promise.resolve();
    },
    disarm(name) {
      clearTimeout(schedules.get(name)?.timer);
      schedules.delete(name);
      return Promise.resolve();
    },
    armed() {
      return [...schedules.values()]
        .map(({ schedule }) => structuredClone(schedule))
        .sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name));
    },
    async stop() {
      stopped = true;
      for (const { timer: handle } of schedules.values()) clearTimeout(handle);
      for (const handle of retries) clearTimeout(handle);
      schedules.clear();
      retries.clear();
      await Promise.allSettled([...firing]);
    },
  };
};
