import { z } from 'zod';
import { inFlightPolicies } from '../freeze/freeze-window.ts';
import { strategySchema } from './strategy.ts';

/**
 * The rollout's event stream. Every step of the workflow appends one event; the state is a pure
 * reduction of them (`reduceRollout`). Each event carries `at` (ISO 8601 instant, given by the caller:
 * the domain has no clock) and `seq` (its position in the stream, strictly increasing).
 */
const base = { at: z.string().min(1).max(64), seq: z.number().int().nonnegative() };
const by = z.string().min(1).max(512);
const reason = z.string().max(2000);
const phase = z.string().min(1).max(63);
const environment = z.string().min(1).max(63);

export const alarmStates = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof alarmStates)[number];
export const alarmReadingSchema = z.strictObject({
  name: z.string().min(1).max(255),
  state: z.enum(alarmStates),
});
export type AlarmReading = z.infer<typeof alarmReadingSchema>;

export const verdicts = ['healthy', 'unhealthy', 'unknown'] as const;
export type Verdict = (typeof verdicts)[number];

export const rolloutBundleSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  hash: z.string(),
});
export type RolloutBundle = z.infer<typeof rolloutBundleSchema>;

/**
 * A release rollout's unit: every bundle of the release, deployed atomically by each phase. `bundle`
 * then names the release (`<release>@release`, hash over its bundles' hashes) for the views.
 */
export const rolloutReleaseSchema = z.strictObject({
  name: z.string().min(1).max(128),
  /** The release's bundles when it started (`name@version`, plan order). */
  bundles: z.array(z.string()),
  /** A release manager went ahead without every sign-off (audited at the start and in each deploy). */
  signoffOverride: z.strictObject({ principal: z.string(), reason: z.string() }).optional(),
});
export type RolloutRelease = z.infer<typeof rolloutReleaseSchema>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...base, ...shape });

export const rolloutEventSchema = z.discriminatedUnion('type', [
  event('RolloutStarted', {
    rolloutId: z.string().min(1).max(128),
    bundle: rolloutBundleSchema,
    release: rolloutReleaseSchema.optional(),
    strategy: strategySchema,
    /** Each environment's HEAD snapshot hash when the rollout started. */
    environmentsBefore: z.record(z.string(), z.string()),
    by,
  }),
  event('PhaseStarted', { phase }),
  event('PhaseDeployed', {
    phase,
    environment,
    deploymentId: z.string().min(1),
    previousSnapshot: z.string(),
    snapshot: z.string(),
  }),
  event('HealthChecked', {
    phase,
    verdict: z.enum(verdicts),
    alarms: z.array(alarmReadingSchema),
    consecutiveUnknown: z.number().int().nonnegative(),
    /** The decision's reason, for the timeline. */
    reason: reason.optional(),
    /** The workflow's id of this check (`<execution>:<n>`): a retried decision finds its own event. */
    check: z.string().min(1).max(128).optional(),
    /** What the decision led to. */
    action: z.enum(['continue', 'advance', 'rollback', 'pause', 'approval', 'deploy']).optional(),
  }),
  event('PhaseBaked', { phase }),
  event('ApprovalRequested', { phase }),
  event('ApprovalGranted', { phase, by }),
  event('ApprovalRejected', { phase, by, reason }),
  event('ApprovalTimedOut', { phase }),
  event('Paused', { by: by.optional(), reason }),
  event('Resumed', { by }),
  event('Promoted', { by }),
  event('AbortRequested', { by, reason }),
  event('FreezeApplied', { policy: z.enum(inFlightPolicies), windows: z.array(z.string()) }),
  event('RollbackStarted', { reason }),
  /** `deploymentId`: the record that restored the environment (a rollback), or its HEAD if already restored. */
  event('PhaseRolledBack', { phase, environment, deploymentId: z.string().min(1) }),
  event('RolledBack', {}),
  event('Succeeded', {}),
  event('Failed', { reason }),
  event('ContinuedAsNew', { executionName: z.string().min(1).max(80) }),
  /**
   * The execution running the rollout ended without ending it (failed, timed out, stopped): what
   * followed (`action`): pause it, roll it back in a fresh execution, or nothing (already paused, or a
   * rescue of its rollback already died).
   */
  event('ExecutionEnded', {
    executionName: z.string().min(1).max(80),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    reason,
    action: z.enum(['pause', 'rollback', 'none']),
  }),
]);
export type RolloutEvent = z.infer<typeof rolloutEventSchema>;
export type RolloutEventType = RolloutEvent['type'];
export type EventOf<T extends RolloutEventType> = Extract<RolloutEvent, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the stream numbers and stamps it. */
export type RolloutDraft = DistributiveOmit<RolloutEvent, 'seq' | 'at'>;
