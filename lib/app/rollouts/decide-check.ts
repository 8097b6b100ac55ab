import { z } from 'zod';
import { conflict, notFound } from '#domain/core/errors.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { alarmStates, type AlarmReading } from '#domain/rollout/events.ts';
import { recordedDecision, supersededBy } from '#domain/rollout/check-replay.ts';
import { nextStep, type SinkReading } from '#domain/rollout/next-step.ts';
import { quietChecks, readingFingerprint } from '#domain/rollout/quiet-checks.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { onWorkflowClock, workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import type { Deps } from '../deps.ts';
import { pollSinks } from '../sinks/sync-sink.ts';
import { freezeOutlook } from './freeze-outlook.ts';
import { appendDrafts, loadRollout } from './rollout-stream.ts';

/**
 * Check Health's result: DescribeAlarms' answer as it came (`described`; its MetricAlarms is empty or
 * absent when no watched alarm exists, which reads as every alarm missing: unknown), or
 * `available: false` when the call failed.
 */
const healthSchema = z.object({
  available: z.boolean(),
  described: z
    .object({
      MetricAlarms: z
        .array(z.object({ AlarmName: z.string().min(1), StateValue: z.enum(alarmStates) }))
        .optional(),
    })
    .optional(),
});
/** The Decide task's input: one health check of the current phase. */
export const decideInputSchema = z.strictObject({
  action: z.literal('decide'),
  rolloutId: z.string().min(1),
  phaseIndex: z.number().int().nonnegative(),
  health: healthSchema,
  check: z.string().min(1).max(128),
  /** The execution deciding: one the rollout has handed over from is superseded. */
  execution: z.string().min(1).max(80).optional(),
  /** Workflow time (`$$.State.EnteredTime`): bakes, timeouts and the rollout's events; absent: deps.now. */
  now: workflowNowSchema.optional(),
});
type DecideInput = z.infer<typeof decideInputSchema>;

/** GetDeployment of the current phase's AppConfig deployments (bound environments only). */
const sinkReadings = async (deps: Deps, state: RolloutState, catalog: Catalog): Promise<SinkReading[]> => {
  const deployments = state.phases[state.currentPhaseIndex]?.deployments ?? [];
  const readings = await Promise.all(
    deployments.map(async ({ environment, deploymentId }) =>
      (await pollSinks(deps, catalog, environment, deploymentId)).map((status) => ({
        environment,
        state: status.state,
        ...(status.message ? { message: status.message } : {}),
      })),
    ),
  );
  return readings.flat();
};

/** What Decide returns: the ASL's `Action?` reads `action`; `Decision Due?` reads `watch`. */
export interface Decided {
  action: string;
  reason: string;
  /** Skip Decide for the next `remaining` checks while the reading's fingerprint stays the same. */
  watch: { fingerprint: string; remaining: number };
  /** The execution this one handed over to (`superseded`), else ''. */
  successor: string;
}

const decided = (action: string, reason: string, watch = { fingerprint: '', remaining: 0 }): Decided => ({
  action,
  reason,
  watch,
  successor: '',
});

/**
 * Decide: the domain's next step after one health check (alarm states, consecutive unknowns, time
 * baked, policy, approval gate, freezes in force ahead), appended as HealthChecked plus what it leads
 * to, and how many checks the workflow may skip Decide for while the reading stays the same. A retried
 * task finds its check's event and answers the same; an execution the rollout has handed over from
 * (an operator's kick, continue-as-new) is `superseded` and decides nothing.
 */
export const decideCheck = async (deps: Deps, payload: DecideInput): Promise<Decided> => {
  // Independent reads, side by side: a check's latency is its slowest read, not their sum.
  const listed = deps.store.freezes.listWindows();
  listed.catch(() => undefined);
  const [{ state, strategy, events }, catalog] = await Promise.all([
    loadRollout(deps, payload.rolloutId),
    deps.store.catalogs.getCatalog(),
  ]);
  const metricAlarms = payload.health.described?.MetricAlarms ?? [];
  const fingerprint = readingFingerprint(metricAlarms.map((a) => a.StateValue));
  const again = recordedDecision(events, payload.check);
  if (again) return decided(again.action, again.reason, { fingerprint, remaining: 0 });
  const successor = supersededBy(state, payload.execution);
  if (successor !== undefined)
    return { ...decided('superseded', `the rollout goes on in ${successor}`), successor };
  if (state.currentPhaseIndex !== payload.phaseIndex && state.status !== 'rolling-back')
    throw conflict(`Phase ${payload.phaseIndex} is not the current phase of ${payload.rolloutId}.`);
  if (!catalog) throw notFound('No catalog has been stored.');
  // Freezes by the calendar; the bake, the approval timeout and the events by the workflow's clock.
  const calendar = deps.now();
  const now = workflowClock(payload.now, () => calendar)();
  const alarms: AlarmReading[] | 'unavailable' = payload.health.available
    ? metricAlarms.map((a) => ({ name: a.AlarmName, state: a.StateValue }))
    : 'unavailable';
  const { holds, change } = await freezeOutlook(
    deps,
    state,
    catalog,
    calendar.toISOString(),
    undefined,
    listed,
  );
  const sinks = await sinkReadings(deps, state, catalog.catalog);
  const step = nextStep({ state, strategy, now: now.getTime(), alarms, holds, sinks, check: payload.check });
  const after = await appendDrafts(deps, state, step.drafts, now.toISOString());
  if (step.action !== 'continue') return decided(step.action, step.reason);
  const remaining = quietChecks({
    state: after,
    strategy,
    now: now.getTime(),
    alarms,
    holds,
    sinks,
    freezeChange: change === null ? null : onWorkflowClock(change, calendar.getTime(), now.getTime()),
  });
  return decided(step.action, step.reason, { fingerprint, remaining });
};
