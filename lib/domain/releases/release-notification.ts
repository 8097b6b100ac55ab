import type { AuditEvent } from '../audit/event.ts';
import type { JsonObject } from '../core/json.ts';
import type { EnvironmentStatus } from './environment-status.ts';

/** The source of release lifecycle events on the `convoy` bus. */
export const RELEASE_EVENT_SOURCE = 'convoy.release';

export const releaseLifecycleTypes = [
  'ReleaseDefined',
  'ReleaseSignedOff',
  'ReleaseApproved',
  'ReleaseDeployed',
  'ReleaseRolledBack',
] as const;

/** Audit events after which an environment may hold only part of a release. */
export const partialCauses = ['BundleDeployed', 'EnvironmentRolledBack'] as const;

export interface ReleaseNotification {
  detailType: string;
  detail: JsonObject;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The `convoy` bus event announcing a committed release step (its audit event): what happened to which
 * release, where, by whom and when, with the step's own detail. Undefined for other audit events.
 */
export const releaseNotificationOf = (event: AuditEvent): ReleaseNotification | undefined => {
  if (!(releaseLifecycleTypes as readonly string[]).includes(event.type)) return undefined;
  const flip = event.type === 'ReleaseDeployed' || event.type === 'ReleaseRolledBack';
  const release = flip ? text(event.detail.release) : event.subject;
  if (release === undefined) return undefined;
  return {
    detailType: event.type,
    detail: {
      ...event.detail,
      release,
      ...(flip ? { environment: event.subject } : {}),
      actor: event.actor,
      at: event.at,
      audit: { chain: event.chain, seq: event.seq },
    },
  };
};

/** `ReleasePartial`: an environment now holds some but not all of a release, with the ways out. */
export const releasePartialNotification = (
  release: string,
  status: EnvironmentStatus,
  cause: AuditEvent,
): ReleaseNotification => ({
  detailType: 'ReleasePartial',
  detail: {
    release,
    environment: status.environment,
    live: status.bundles.filter((b) => b.state === 'live').map((b) => b.name),
    missing: status.bundles.filter((b) => b.state !== 'live').map((b) => b.name),
    waysOut: status.waysOut.map((w) => w.command),
    actor: cause.actor,
    at: cause.at,
    audit: { chain: cause.chain, seq: cause.seq, type: cause.type },
  },
});
