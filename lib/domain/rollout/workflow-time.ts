import { z } from 'zod';

/**
 * Workflow time: the instant a workflow task runs at, as the workflow reckons it. The ASL passes
 * `$$.State.EnteredTime`; on AWS that is the wall clock, locally the runner's clock, which
 * `convoy up --time-scale` speeds up and the simulator runs virtually. Bakes, approval timeouts and
 * the rollout's own events are reckoned in it; freezes, deployment records and audit stamps are not
 * (a freeze window is calendar time).
 */
export const workflowNowSchema = z
  .string()
  .max(64)
  .refine((text) => Number.isFinite(Date.parse(text)), { message: 'must be an ISO 8601 instant' });

/**
 * The workflow's clock in a task: from the instant the task input gives (`now`), it moves as the
 * calendar does while the task runs; without one, it is the calendar. It never reads behind the
 * calendar: a task that starts well after its state was entered (a queued Lambda, a loaded runner)
 * acts at the calendar's now, so what it finds by the calendar (a freeze that began) is not stamped
 * before it happened.
 */
export const workflowClock = (now: string | undefined, calendar: () => Date): (() => Date) => {
  if (now === undefined) return calendar;
  const entered = Date.parse(now);
  const origin = calendar().getTime();
  return () => {
    const at = calendar().getTime();
    return new Date(Math.max(entered + (at - origin), at));
  };
};

/**
 * A calendar instant (`calendarMs`, read at `calendarNow`) on the workflow's clock: it lies as far
 * ahead as it does on the calendar. Under `--time-scale` workflow time runs faster, so the workflow's
 * clock reads more than this when the calendar gets there: a quiet stretch bounded by it ends early,
 * never late.
 */
export const onWorkflowClock = (calendarMs: number, calendarNow: number, workflowNow: number): number =>
  workflowNow + (calendarMs - calendarNow);
