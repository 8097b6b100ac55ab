import { z } from 'zod';
import { bundleRefSchema, nameSchema } from '#domain/core/names.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import type { DeploymentSinks, SinkStatus } from '#domain/environments/sink-status.ts';

export const deployBodySchema = z.strictObject({ bundle: bundleRefSchema, override: nameSchema.optional() });
export type DeployBody = z.infer<typeof deployBodySchema>;

export const rollbackBodySchema = z.strictObject({
  to: z.string().max(100).optional(),
  override: nameSchema.optional(),
});
export type RollbackBody = z.infer<typeof rollbackBodySchema>;

export const deploymentListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type DeploymentListQuery = z.infer<typeof deploymentListQuerySchema>;

/** Sync takes no options today; an empty object keeps unknown fields a 400. */
export const syncBodySchema = z.strictObject({});
export type SyncBody = z.infer<typeof syncBodySchema>;

/** The body of a deploy or rollback (201). */
export interface ChangeResponse {
  deploymentId: string;
  environment: string;
  head: { version: number; snapshot: string };
  /** The override the change consumed (only when a freeze applied). */
  overrideId?: string;
  /** Rollbacks only: null when the environment went back to its initial, empty state. */
  rolledBackTo?: string | null;
  undoes?: string;
  /** Only when the environment is bound to a sink. */
  sinks?: DeploymentSinks;
}

export const changeResponse = (
  { deployment, head }: { deployment: DeploymentRecord; head: Head },
  sinks: DeploymentSinks,
): ChangeResponse => ({
  deploymentId: deployment.id,
  environment: deployment.environment,
  head: { version: head.version, snapshot: head.snapshot },
  ...(deployment.overrideId === undefined ? {} : { overrideId: deployment.overrideId }),
  ...(deployment.kind === 'rollback'
    ? { rolledBackTo: deployment.rolledBackTo ?? null, undoes: deployment.undoes }
    : {}),
  ...(Object.keys(sinks).length === 0 ? {} : { sinks }),
});

export interface SyncResponse {
  environment: string;
  head: { version: number; snapshot: string; deploymentId: string | null };
  sinks: DeploymentSinks;
  action: 'in-sync' | 'published';
  reason: string;
  /** The feature-flag profile's sync (only when the binding names `flagsProfile`). */
  flags?: { action: 'in-sync' | 'published'; reason: string };
  /** The flag-set profile's sync (only when the binding names `flagSetProfile`). */
  flagSet?: { action: 'in-sync' | 'published'; reason: string };
}

type SinkSyncResult = { status: SinkStatus | undefined; action: SyncResponse['action']; reason: string };

export const syncResponse = (
  environment: string,
  result: SinkSyncResult & { head: Head; flags?: SinkSyncResult; flagSet?: SinkSyncResult },
): SyncResponse => ({
  environment,
  head: {
    version: result.head.version,
    snapshot: result.head.snapshot,
    deploymentId: result.head.deploymentId ?? null,
  },
  sinks: {
    ...(result.status === undefined ? {} : { appconfig: result.status }),
    ...(result.flags?.status === undefined ? {} : { appconfigFlags: result.flags.status }),
    ...(result.flagSet?.status === undefined ? {} : { appconfigFlagSet: result.flagSet.status }),
  },
  action: result.action,
  reason: result.reason,
  ...(result.flags === undefined
    ? {}
    : { flags: { action: result.flags.action, reason: result.flags.reason } }),
  ...(result.flagSet === undefined
    ? {}
    : { flagSet: { action: result.flagSet.action, reason: result.flagSet.reason } }),
});
