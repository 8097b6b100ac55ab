import type { Catalog } from '#domain/catalog/catalog.ts';
import { isConvoyError, notFound } from '#domain/core/errors.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import {
  isReusableDeployment,
  sinkDescription,
  sinkMessage,
  sinkStateOf,
  syncDecision,
  type DeploymentSinks,
  type SinkName,
  type SinkStatus,
} from '#domain/environments/sink-status.ts';
import type { AppConfigBinding } from '#integrations/ports.ts';
import type { Deps } from '../deps.ts';
import { requireHead } from '../environments/environment-context.ts';
import { reportedServices } from '../flags/flag-set.ts';
import { logger } from '../logger.ts';
import { sinkTargetOf, sinkTargets } from './sink-targets.ts';

/**
 * Delivery of committed deployments to AppConfig. HEAD is committed first; the sink follows, and its
 * status lives on the deployment record. Every step is safe to retry: a publication that crashed is
 * recognized by the description of its hosted version and by the live deployment of that version.
 */

/** The API answers within API Gateway's limit: one quick retry, then `failed` (convoy sync heals it). */
const API_CONFLICT_ATTEMPTS = 2;
/** Optimistic writes of the hosted version lost to another writer, re-read and retried. */
const CREATE_ATTEMPTS = 3;

export interface PublishOptions {
  /** Which profile: the configuration (default), the feature flags (`flagsProfile`) or the flag set. */
  sink?: SinkName;
  /** Publish even though the record names an AppConfig deployment already (sync after a failure). */
  again?: boolean;
  /** StartDeployment attempts while another deployment holds the environment (default: the adapter's). */
  conflictAttempts?: number;
}

export interface SinkSync {
  status: SinkStatus | undefined;
  action: 'in-sync' | 'published';
  reason: string;
}

/**
 * The configuration sink's outcome, the flags sink's when the binding names `flagsProfile`, and the
 * flag-set sink's when it names `flagSetProfile`.
 */
export interface SyncResult extends SinkSync {
  head: Head;
  flags?: SinkSync;
  flagSet?: SinkSync;
}

/**
 * The flags and flag-set profiles share the AppConfig environment with the configuration, which is
 * delivered first: they wait (`pending`) while another deployment holds it instead of retrying.
 */
const waitsForEnvironment = (sink: SinkName): boolean => sink !== 'appconfig';

const requireRecord = async (deps: Deps, environment: string, id: string): Promise<DeploymentRecord> => {
  const record = await deps.store.environments.getDeployment(environment, id);
  if (!record) throw notFound(`Deployment ${id} does not exist in ${environment}.`, { environment, id });
  return record;
};

/** Store a status; when an outcome was recorded first, that outcome is the answer. */
const recordStatus = async (
  deps: Deps,
  record: DeploymentRecord,
  status: SinkStatus,
  sink: SinkName = 'appconfig',
): Promise<SinkStatus> => {
  const write = await deps.store.environments.setSinkStatus(record.environment, record.id, sink, status);
  return write.recorded ? write.status : write.current;
};

type Attempt<T> = { ok: true; value: T } | { ok: false; message: string; code?: string };

/** AppConfig calls whose failure is an outcome (`failed` on the record), not a crash. */
const attempt = async <T>(run: () => Promise<T>): Promise<Attempt<T>> => {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    logger.warn('AppConfig publication failed', { error: error as Error });
    return isConvoyError(error)
      ? { ok: false, message: error.message, code: error.code }
      : { ok: false, message: 'AppConfig failed unexpectedly.' };
  }
};

const ensureVersion = async (
  deps: Deps,
  binding: AppConfigBinding,
  content: string,
  description: string,
  round = 1,
): Promise<number> => {
  const latest = await deps.appconfig.latestVersion(binding);
  if (latest?.description === description) return latest.versionNumber;
  try {
    const created = await deps.appconfig.createVersion(binding, {
      content,
      contentType: 'application/json',
      description,
      ...(latest === undefined ? {} : { latestVersionNumber: latest.versionNumber }),
    });
    return created.versionNumber;
  } catch (error) {
    // Lost to another writer; when that was a concurrent attempt of this publication, the re-read finds it.
    if (!isConvoyError(error) || error.code !== 'conflict' || round >= CREATE_ATTEMPTS) throw error;
    return ensureVersion(deps, binding, content, description, round + 1);
  }
};

const ensureDeployment = async (
  deps: Deps,
  binding: AppConfigBinding,
  versionNumber: number,
  description: string,
  conflictAttempts: number | undefined,
): Promise<number> => {
  const live = await deps.appconfig.latestDeployment(binding);
  if (isReusableDeployment(live, versionNumber)) return live.deploymentNumber;
  const options = conflictAttempts === undefined ? {} : { maxAttempts: conflictAttempts };
  return (await deps.appconfig.startDeployment(binding, versionNumber, description, options))
    .deploymentNumber;
};

/**
 * Write the deployment's content for the sink (the materialized configuration GET
 * /environments/{env}/config returns, or the flags as an AWS.AppConfig.FeatureFlags document) as a
 * hosted version, start its deployment, record `deploying`. AppConfig failures become a `failed`
 * status with the reason; store failures throw. Undefined when the environment has no such sink.
 * The flags sink shares the AppConfig environment with the configuration: while another deployment
 * holds it, the flags version waits as `pending` and the next poll or sync starts it.
 */
export const publishToSink = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
  options: PublishOptions = {},
): Promise<SinkStatus | undefined> => {
  const sink = options.sink ?? 'appconfig';
  const target = sinkTargetOf(catalog, environment, sink);
  if (!target) return undefined;
  const { binding } = target;
  const record = await requireRecord(deps, environment, deploymentId);
  const current = record.sinks[sink];
  if (!options.again && current?.deploymentNumber !== undefined) return current;
  const snapshot = await deps.store.snapshots.getSnapshot(record.snapshot);
  const services = target.readsServices ? await reportedServices(deps, environment) : {};
  const { content, omitted } = target.content(record, snapshot, services);
  const kept = omitted === undefined ? {} : { omitted };
  const description = sinkDescription(deploymentId);
  const at = () => deps.now().toISOString();
  const store = (status: SinkStatus) => recordStatus(deps, record, { ...status, ...kept }, sink);
  const version = await attempt(() => ensureVersion(deps, binding, content, description));
  if (!version.ok) return store({ state: 'failed', message: version.message, at: at() });
  const versionNumber = version.value;
  await store({ state: 'pending', versionNumber, at: at() });
  const waits = waitsForEnvironment(sink);
  const started = await attempt(() =>
    ensureDeployment(deps, binding, versionNumber, description, waits ? 1 : options.conflictAttempts),
  );
  if (!started.ok) {
    if (waits && started.code === 'conflict') {
      const message = 'waiting for the AppConfig environment: another deployment holds it';
      return store({ state: 'pending', versionNumber, message, at: at() });
    }
    return store({ state: 'failed', versionNumber, message: started.message, at: at() });
  }
  return store({ state: 'deploying', versionNumber, deploymentNumber: started.value, at: at() });
};

/**
 * GetDeployment for the recorded AppConfig deployment; a change of state is recorded. A flags
 * version still waiting for the environment (`pending`, no deployment) is started now if it is free.
 */
export const pollSink = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
  sink: SinkName = 'appconfig',
): Promise<SinkStatus | undefined> => {
  const target = sinkTargetOf(catalog, environment, sink);
  if (!target) return undefined;
  const record = await requireRecord(deps, environment, deploymentId);
  const current = record.sinks[sink];
  if (waitsForEnvironment(sink) && current?.state === 'pending' && current.deploymentNumber === undefined) {
    return publishToSink(deps, catalog, environment, deploymentId, { sink, again: true });
  }
  if (current?.deploymentNumber === undefined || current.state === 'rolled-back') return current;
  const live = await deps.appconfig.getDeployment(target.binding, current.deploymentNumber);
  const state = sinkStateOf(live.state);
  const message = sinkMessage(current.deploymentNumber, live.state, live.percentageComplete);
  if (state === current.state && message === current.message) return current;
  return recordStatus(deps, record, { ...current, state, message, at: deps.now().toISOString() }, sink);
};

/** Poll every sink of the environment (what a rollout's health check waits for). */
export const pollSinks = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
): Promise<SinkStatus[]> => {
  const statuses: SinkStatus[] = [];
  for (const { sink } of sinkTargets(catalog, environment)) {
    const status = await pollSink(deps, catalog, environment, deploymentId, sink);
    if (status) statuses.push(status);
  }
  return statuses;
};

/** Publish to every sink of the environment, configuration first (the rollout's deploy phase). */
export const publishToSinks = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
  options: Omit<PublishOptions, 'sink'> = {},
): Promise<DeploymentSinks> => {
  const sinks: DeploymentSinks = {};
  for (const { sink } of sinkTargets(catalog, environment)) {
    const status = await publishToSink(deps, catalog, environment, deploymentId, { ...options, sink });
    if (status) sinks[sink] = status;
  }
  return sinks;
};

const syncSink = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
  sink: SinkName,
): Promise<SinkSync> => {
  const target = sinkTargetOf(catalog, environment, sink);
  const status = await pollSink(deps, catalog, environment, deploymentId, sink);
  const live =
    target && status?.state === 'complete'
      ? await deps.appconfig.latestDeployment(target.binding)
      : undefined;
  const decision = syncDecision(status, live);
  if (waitsForEnvironment(sink) && status?.state === 'pending') {
    // pollSink tried to start it: the environment is still held by another deployment.
    return { status, action: 'in-sync', reason: status.message ?? decision.reason };
  }
  if (!decision.publish) return { status, action: 'in-sync', reason: decision.reason };
  const published = await publishToSink(deps, catalog, environment, deploymentId, { sink, again: true });
  return { status: published, action: 'published', reason: decision.reason };
};

/** Bring lagging sinks to the environment's HEAD (syncDecision says when), configuration first. */
export const syncEnvironment = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
): Promise<SyncResult> => {
  const head = await requireHead(deps, environment);
  const targets = sinkTargets(catalog, environment);
  if (targets.length === 0)
    return { head, status: undefined, action: 'in-sync', reason: `${environment} is not bound to AppConfig` };
  if (head.deploymentId === undefined) {
    return {
      head,
      status: undefined,
      action: 'in-sync',
      reason: `nothing has been deployed to ${environment}`,
    };
  }
  const { deploymentId } = head;
  const config = await syncSink(deps, catalog, environment, deploymentId, 'appconfig');
  const bound = (sink: SinkName) => targets.some((t) => t.sink === sink);
  const flags = bound('appconfigFlags')
    ? await syncSink(deps, catalog, environment, deploymentId, 'appconfigFlags')
    : undefined;
  const flagSet = bound('appconfigFlagSet')
    ? await syncSink(deps, catalog, environment, deploymentId, 'appconfigFlagSet')
    : undefined;
  return {
    head,
    ...config,
    ...(flags === undefined ? {} : { flags }),
    ...(flagSet === undefined ? {} : { flagSet }),
  };
};

/**
 * After a deploy or rollback through the API: publish to every sink, and never fail the committed
 * request. What went wrong is logged and recorded as `failed` (as far as the store lets us).
 */
export const publishAfterCommit = async (
  deps: Deps,
  catalog: Catalog,
  deployment: DeploymentRecord,
): Promise<DeploymentSinks> => {
  const sinks: DeploymentSinks = {};
  // None (nothing to publish, no I/O) when the environment is not bound.
  for (const { sink } of sinkTargets(catalog, deployment.environment)) {
    try {
      const status = await publishToSink(deps, catalog, deployment.environment, deployment.id, {
        sink,
        conflictAttempts: API_CONFLICT_ATTEMPTS,
      });
      if (status) sinks[sink] = status;
    } catch (error) {
      logger.error('publishing to AppConfig failed', {
        error: error as Error,
        deploymentId: deployment.id,
        sink,
      });
      const failed: SinkStatus = {
        state: 'failed',
        message: 'Publishing to AppConfig failed; `convoy sync` retries it.',
        at: deps.now().toISOString(),
      };
      sinks[sink] = await recordStatus(deps, deployment, failed, sink).catch(() => failed);
    }
  }
  return sinks;
};
