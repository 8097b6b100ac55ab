import type { Catalog } from '#domain/catalog/catalog.ts';
import { isConvoyError, notFound } from '#domain/core/errors.ts';
import { formatConfig, materialize } from '#domain/environments/config.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import {
  isReusableDeployment,
  sinkDescription,
  sinkMessage,
  sinkStateOf,
  syncDecision,
  type DeploymentSinks,
  type SinkStatus,
} from '#domain/environments/sink-status.ts';
import type { AppConfigBinding } from '#integrations/ports.ts';
import type { Deps } from '../deps.ts';
import { requireHead } from '../environments/environment-context.ts';
import { logger } from '../logger.ts';

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
  /** Publish even though the record names an AppConfig deployment already (sync after a failure). */
  again?: boolean;
  /** StartDeployment attempts while another deployment holds the environment (default: the adapter's). */
  conflictAttempts?: number;
}

export interface SyncResult {
  head: Head;
  status: SinkStatus | undefined;
  action: 'in-sync' | 'published';
  reason: string;
}

export const appConfigBindingOf = (catalog: Catalog, environment: string): AppConfigBinding | undefined =>
  catalog.environments.find((e) => e.name === environment)?.appconfig;

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
): Promise<SinkStatus> => {
  const write = await deps.store.environments.setSinkStatus(
    record.environment,
    record.id,
    'appconfig',
    status,
  );
  return write.recorded ? write.status : write.current;
};

type Attempt<T> = { ok: true; value: T } | { ok: false; message: string };

/** AppConfig calls whose failure is an outcome (`failed` on the record), not a crash. */
const attempt = async <T>(run: () => Promise<T>): Promise<Attempt<T>> => {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    logger.warn('AppConfig publication failed', { error: error as Error });
    return { ok: false, message: isConvoyError(error) ? error.message : 'AppConfig failed unexpectedly.' };
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
 * Write the deployment's materialized configuration (what GET /environments/{env}/config returns) as
 * a hosted version, start its deployment, record `deploying`. AppConfig failures become a `failed`
 * status with the reason; store failures throw. Undefined when the environment is not bound.
 */
export const publishToSink = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
  options: PublishOptions = {},
): Promise<SinkStatus | undefined> => {
  const binding = appConfigBindingOf(catalog, environment);
  if (!binding) return undefined;
  const record = await requireRecord(deps, environment, deploymentId);
  const current = record.sinks.appconfig;
  if (!options.again && current?.deploymentNumber !== undefined) return current;
  const snapshot = await deps.store.snapshots.getSnapshot(record.snapshot);
  const content = formatConfig(materialize(catalog, snapshot).values, 'json');
  const description = sinkDescription(deploymentId);
  const at = () => deps.now().toISOString();
  const version = await attempt(() => ensureVersion(deps, binding, content, description));
  if (!version.ok) return recordStatus(deps, record, { state: 'failed', message: version.message, at: at() });
  const versionNumber = version.value;
  await recordStatus(deps, record, { state: 'pending', versionNumber, at: at() });
  const started = await attempt(() =>
    ensureDeployment(deps, binding, versionNumber, description, options.conflictAttempts),
  );
  if (!started.ok) {
    return recordStatus(deps, record, { state: 'failed', versionNumber, message: started.message, at: at() });
  }
  return recordStatus(deps, record, {
    state: 'deploying',
    versionNumber,
    deploymentNumber: started.value,
    at: at(),
  });
};

/** GetDeployment for the recorded AppConfig deployment; a change of state is recorded. */
export const pollSink = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  deploymentId: string,
): Promise<SinkStatus | undefined> => {
  const binding = appConfigBindingOf(catalog, environment);
  if (!binding) return undefined;
  const record = await requireRecord(deps, environment, deploymentId);
  const current = record.sinks.appconfig;
  if (current?.deploymentNumber === undefined || current.state === 'rolled-back') return current;
  const live = await deps.appconfig.getDeployment(binding, current.deploymentNumber);
  const state = sinkStateOf(live.state);
  const message = sinkMessage(current.deploymentNumber, live.state, live.percentageComplete);
  if (state === current.state && message === current.message) return current;
  return recordStatus(deps, record, { ...current, state, message, at: deps.now().toISOString() });
};

/** Bring a lagging sink to the environment's HEAD (syncDecision says when). */
export const syncEnvironment = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
): Promise<SyncResult> => {
  const head = await requireHead(deps, environment);
  const binding = appConfigBindingOf(catalog, environment);
  if (!binding)
    return { head, status: undefined, action: 'in-sync', reason: `${environment} is not bound to AppConfig` };
  if (head.deploymentId === undefined) {
    return {
      head,
      status: undefined,
      action: 'in-sync',
      reason: `nothing has been deployed to ${environment}`,
    };
  }
  const status = await pollSink(deps, catalog, environment, head.deploymentId);
  const live = status?.state === 'complete' ? await deps.appconfig.latestDeployment(binding) : undefined;
  const decision = syncDecision(status, live);
  if (!decision.publish) return { head, status, action: 'in-sync', reason: decision.reason };
  const published = await publishToSink(deps, catalog, environment, head.deploymentId, { again: true });
  return { head, status: published, action: 'published', reason: decision.reason };
};

/**
 * After a deploy or rollback through the API: publish when bound, and never fail the committed request.
 * What went wrong is logged and recorded as `failed` (as far as the store lets us).
 */
export const publishAfterCommit = async (
  deps: Deps,
  catalog: Catalog,
  deployment: DeploymentRecord,
): Promise<DeploymentSinks> => {
  try {
    // Undefined (nothing to publish, no I/O) when the environment is not bound.
    const status = await publishToSink(deps, catalog, deployment.environment, deployment.id, {
      conflictAttempts: API_CONFLICT_ATTEMPTS,
    });
    return status === undefined ? {} : { appconfig: status };
  } catch (error) {
    logger.error('publishing to AppConfig failed', { error: error as Error, deploymentId: deployment.id });
    const failed: SinkStatus = {
      state: 'failed',
      message: 'Publishing to AppConfig failed; `convoy sync` retries it.',
      at: deps.now().toISOString(),
    };
    return { appconfig: await recordStatus(deps, deployment, failed).catch(() => failed) };
  }
};
