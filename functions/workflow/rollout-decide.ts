import { z } from 'zod';
import { conflict } from '../../lib/domain/core/errors.ts';
import { decide, type HealthAction } from '../../lib/domain/rollout/decide.ts';
import { alarmStates, type AlarmReading } from '../../lib/domain/rollout/events.ts';
import { phaseAlarms } from '../../lib/domain/rollout/strategy.ts';
import type { Deps } from '../shared/deps.ts';
import { appendDrafts, loadRollout, type RolloutDraft } from '../shared/rollout-stream.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

/** Check Health's result: DescribeAlarms' MetricAlarms, or `available: false` when the call failed. */
const healthSchema = z.object({
  available: z.boolean(),
  metricAlarms: z
    .array(z.object({ AlarmName: z.string().min(1), StateValue: z.enum(alarmStates) }))
    .optional(),
});

const payloadSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('decide'),
    rolloutId: z.string().min(1),
    phaseIndex: z.number().int().nonnegative(),
    health: healthSchema,
  }),
  z.strictObject({ action: z.literal('succeed'), rolloutId: z.string().min(1) }),
  z.strictObject({ action: z.literal('await'), rolloutId: z.string().min(1), taskToken: z.string().min(1) }),
]);

type DecidePayload = Extract<z.infer<typeof payloadSchema>, { action: 'decide' }>;

const followUp: Record<HealthAction, (reason: string, phase: string) => RolloutDraft[]> = {
  continue: () => [],
  advance: (_reason, phase) => [{ type: 'PhaseBaked', phase }],
  pause: (reason) => [{ type: 'Paused', reason }],
  rollback: (reason) => [{ type: 'RollbackStarted', reason }],
};

/**
 * Decide: the domain's decision on one health check (alarm states, consecutive unknowns, time baked,
 * policy), appended as HealthChecked plus what it leads to (PhaseBaked, Paused, RollbackStarted).
 */
const decideCheck = async (payload: DecidePayload, deps: Deps) => {
  const { state, strategy } = await loadRollout(deps, payload.rolloutId);
  const phase = state.phases[payload.phaseIndex];
  const spec = strategy.phases[payload.phaseIndex];
  if (!phase || !spec || state.currentPhaseIndex !== payload.phaseIndex)
    throw conflict(`Phase ${payload.phaseIndex} is not the current phase of ${payload.rolloutId}.`);
  const alarms: AlarmReading[] | 'unavailable' = payload.health.available
    ? (payload.health.metricAlarms ?? []).map((a) => ({ name: a.AlarmName, state: a.StateValue }))
    : 'unavailable';
  const now = deps.now();
  const bakeStart = Date.parse(phase.bakeStartedAt ?? now.toISOString());
  const decision = decide({
    alarms,
    expected: phaseAlarms(strategy, spec),
    consecutiveUnknown: state.consecutiveUnknown,
    bakedMs: now.getTime() - bakeStart,
    bakeMs: phase.bakeMs,
    policy: strategy.health,
    paused: state.status === 'paused',
    promoted: state.promoted,
    automaticRollback: strategy.rollback.automatic,
  });
  const checked: RolloutDraft = {
    type: 'HealthChecked',
    phase: phase.name,
    verdict: decision.verdict,
    alarms: alarms === 'unavailable' ? [] : alarms,
    consecutiveUnknown: decision.consecutiveUnknown,
    reason: decision.reason,
  };
  const drafts = [checked, ...followUp[decision.action](decision.reason, phase.name)];
  await appendDrafts(deps, state, drafts, now.toISOString());
  return { action: decision.action, verdict: decision.verdict, reason: decision.reason };
};

/** The progressive-rollout workflow's health decision, its success, and its pause's task token. */
export const handler = workflowHandler(payloadSchema, async (payload, deps) => {
  if (payload.action === 'decide') return decideCheck(payload, deps);
  if (payload.action === 'await') {
    await deps.store.rollouts.setTaskToken(payload.rolloutId, payload.taskToken);
    return { action: 'await' };
  }
  const { state } = await loadRollout(deps, payload.rolloutId);
  if (state.status !== 'succeeded')
    await appendDrafts(deps, state, [{ type: 'Succeeded' }], deps.now().toISOString());
  return { action: 'succeed' };
});
