import { z } from 'zod';
import { bundleRefSchema, idempotencyKeySchema, nameSchema } from '#domain/core/names.ts';
import type { DeploymentSinks } from '#domain/environments/sink-status.ts';
import { apiHandler, type ApiEvent } from '../shared/api-handler.ts';
import { publishAfterCommit, syncEnvironment } from '#app/sinks/sync-sink.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import type { Deps } from '#app/deps.ts';
import {
  deployBundle,
  rollbackEnvironment,
  type ChangeRequest,
  type ChangeResult,
} from '#app/deployments/change-environment.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { envPathSchema, pathOf, queryOf, versionHeader } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf, headerOf } from '../shared/request.ts';

const deployBodySchema = z.strictObject({ bundle: bundleRefSchema, override: nameSchema.optional() });
const rollbackBodySchema = z.strictObject({
  to: z.string().max(100).optional(),
  override: nameSchema.optional(),
});
const listQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional() });

const changeRequest = async (
  event: ApiEvent,
  deps: Deps,
  action: 'deploy' | 'rollback',
): Promise<ChangeRequest> => {
  const caller = await callerOf(event, deps);
  const { env } = pathOf(event, envPathSchema);
  const catalog = requireCatalog(caller);
  requireAllowed(caller, action);
  const key = headerOf(event, 'idempotency-key');
  return {
    environment: env,
    principal: caller.principal,
    at: caller.at,
    catalog,
    idempotencyKey:
      key === undefined ? undefined : parsePart(idempotencyKeySchema, key, 'header.idempotency-key'),
    expectedVersion: versionHeader(headerOf(event, 'if-match'), 'if-match'),
  };
};

const syncBodySchema = z.strictObject({});

/** The committed change, then its delivery to the environment's sinks (only when it has any). */
const created = ({ deployment, head }: ChangeResult, sinks: DeploymentSinks) => ({
  status: 201,
  headers: { etag: `"${head.version}"` },
  body: {
    deploymentId: deployment.id,
    environment: deployment.environment,
    head: { version: head.version, snapshot: head.snapshot },
    ...(deployment.overrideId === undefined ? {} : { overrideId: deployment.overrideId }),
    ...(deployment.kind === 'rollback'
      ? { rolledBackTo: deployment.rolledBackTo ?? null, undoes: deployment.undoes }
      : {}),
    ...(Object.keys(sinks).length === 0 ? {} : { sinks }),
  },
});

const delivered = async (deps: Deps, request: ChangeRequest, result: ChangeResult) =>
  created(result, await publishAfterCommit(deps, request.catalog.catalog, result.deployment));

export const make = apiHandler({
  'POST /environments/{env}/deployments': async (event, deps) => {
    const request = await changeRequest(event, deps, 'deploy');
    const { bundle, override } = parsePart(deployBodySchema, documentOf(event), 'body');
    return delivered(deps, request, await deployBundle(deps, { ...request, overrideId: override }, bundle));
  },

  'GET /environments/{env}/deployments': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const { limit } = queryOf(event, listQuerySchema);
    return {
      status: 200,
      body: { deployments: await deps.store.environments.listDeployments(env, limit ?? 50) },
    };
  },

  'POST /environments/{env}/rollback': async (event, deps) => {
    const request = await changeRequest(event, deps, 'rollback');
    const body = event.body ? parsePart(rollbackBodySchema, documentOf(event), 'body') : {};
    const result = await rollbackEnvironment(deps, { ...request, overrideId: body.override }, body.to);
    return delivered(deps, request, result);
  },

  'POST /environments/{env}/sync': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { catalog } = requireCatalog(caller);
    requireEnvironment(catalog, env);
    requireAllowed(caller, 'deploy');
    if (event.body) parsePart(syncBodySchema, documentOf(event), 'body');
    const { head, status, action, reason } = await syncEnvironment(deps, catalog, env);
    return {
      status: 200,
      body: {
        environment: env,
        head: { version: head.version, snapshot: head.snapshot, deploymentId: head.deploymentId ?? null },
        sinks: status === undefined ? {} : { appconfig: status },
        action,
        reason,
      },
    };
  },
});

export const handler = onLambda(make);
