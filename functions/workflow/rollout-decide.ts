import { z } from 'zod';
import { conflict, notFound } from '#domain/core/errors.ts';
import { alarmStates, type AlarmReading, type RolloutEvent } from '#domain/rollout/events.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { nextStep, type SinkReading } from '#domain/rollout/next-step.ts';
import { quietChecks, readingFingerprint } from '#domain/rollout/quiet-checks.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { onWorkflowClock, workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import { pollSink } from '#app/sinks/sync-sink.ts';
import type { Deps } from '#app/deps.ts';
import { freezeOutlook } from '#app/rollouts/freeze-outlook.ts';
import { appendDrafts, continuationName, loadRollout } from '#app/rollouts/rollout-stream.ts';
import { resumeOwnToken } from '#app/rollouts/wait-tokens.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

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
const rolloutId = z.string().min(1);
/** Workflow time (`$$.State.EnteredTime`): bakes, timeouts and the rollout's events; absent: deps.now. */
const now = workflowNowSchema.optional();

const payloadSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('decide'),
    rolloutId,
    phaseIndex: z.number().int().nonnegative(),
    health: healthSchema,
    check: z.string().min(1).max(128),
    /** The execution deciding: one the rollout has handed over from is superseded. */
    execution: z.string().min(1).max(80).optional(),
    now,
  }),
  z.strictObject({ action: z.literal('succeed'), rolloutId, now }),
  z.strictObject({
    action: z.literal('await'),
    rolloutId,
    taskToken: z.string().min(1),
    gate: z.enum(['resume', 'approval']),
  }),
  // Executions started before the approval gate joined the loop still time their gate out here.
  z.strictObject({ action: z.literal('approval-timeout'), rolloutId }),
  z.strictObject({
    action: z.literal('continue-as-new'),
    rolloutId,
    execution: z.string().min(1).max(80),
    now,
  }),
]);

/** GetDeployment of the current phase's AppConfig deployments (bound environments only). */
const sinkReadings = async (deps: Deps, state: RolloutState, catalog: Catalog): Promise<SinkReading[]> => {
  const deployments = state.phases[state.currentPhaseIndex]?.deployments ?? [];
  const readings = await Promise.all(
    deployments.map(async ({ environment, deploymentId }) => {
      const status = await pollSink(deps, catalog, environment, deploymentId);
      return (
        status && { environment, state: status.state, ...(status.message ? { message: status.message } : {}) }
      );
    }),
  );
  return readings.filter((reading) => reading !== undefined);
};

type DecidePayload = Extract<z.infer<typeof payloadSchema>, { action: 'decide' }>;

/** What Decide returns: the ASL's `Action?` reads `action`; `Decision Due?` reads `watch`. */
interface Decided {
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

/** The decision already recorded for this check (a retried task), if any; it skips nothing. */
const recorded = (
  events: readonly RolloutEvent[],
  check: string,
  fingerprint: string,
): Decided | undefined => {
  const event = events.findLast((e) => e.type === 'HealthChecked' && e.check === check);
  return event?.type === 'HealthChecked' && event.action !== undefined
    ? decided(event.action, event.reason ?? '', { fingerprint, remaining: 0 })
    : undefined;
};

/**
 * Decide: the domain's next step after one health check (alarm states, consecutive unknowns, time
 * baked, policy, approval gate, freezes in force ahead), appended as HealthChecked plus what it leads
 * to, and how many checks the workflow may skip Decide for while the reading stays the same. A retried
 * task finds its check's event and answers the same; an execution the rollout has handed over from
 * (an operator's kick, continue-as-new) is `superseded` and decides nothing.
 */
const decideCheck = async (payload: DecidePayload, deps: Deps): Promise<Decided> => {
  // Independent reads, side by side: a check's latency is its slowest read, not their sum.
  const listed = deps.store.freezes.listWindows();
  listed.catch(() => undefined);
  const [{ state, strategy, events }, catalog] = await Promise.all([
    loadRollout(deps, payload.rolloutId),
    deps.store.catalogs.getCatalog(),
  ]);
  const metricAlarms = payload.health.described?.MetricAlarms ?? [];
  const fingerprint = readingFingerprint(metricAlarms.map((a) => a.StateValue));
  const again = recorded(events.slice(-20), payload.check, fingerprint);
  if (again) return again;
  const current = state.executionName;
  if (payload.execution !== undefined && current !== null && current !== payload.execution)
    return { ...decided('superseded', `the rollout goes on in ${current}`), successor: current };
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

/** The progressive-rollout workflow's decisions, its waits' task tokens, and its success. */
export const make = workflowHandler(payloadSchema, async (payload, deps) => {
  if (payload.action === 'decide') return decideCheck(payload, deps);
  if (payload.action === 'await') {
    await deps.store.rollouts.setTaskToken(payload.rolloutId, payload.taskToken);
    await resumeOwnToken(deps, payload.rolloutId, payload.taskToken, payload.gate);
    return { action: 'await' };
  }
  const { state } = await loadRollout(deps, payload.rolloutId);
  const at = workflowClock('now' in payload ? payload.now : undefined, deps.now)().toISOString();
  if (payload.action === 'continue-as-new') {
    const executionName = continuationName(payload.execution);
    if (state.executionName !== executionName)
      await appendDrafts(deps, state, [{ type: 'ContinuedAsNew', executionName }], at);
    return { action: 'continue-as-new', executionName };
  }
  if (payload.action === 'approval-timeout') {
    const phase = state.currentPhase ?? '';
    if (state.status === 'awaiting-approval')
      await appendDrafts(deps, state, [{ type: 'ApprovalTimedOut', phase }], at);
    return { action: 'rollback' };
  }
  if (state.status !== 'succeeded') await appendDrafts(deps, state, [{ type: 'Succeeded' }], at);
  return { action: 'succeed' };
});

export const handler = onLambda(make);
