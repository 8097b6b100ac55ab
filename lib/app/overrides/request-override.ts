import { randomBytes } from 'node:crypto';
import { notFound, validationFailed } from '#domain/core/errors.ts';
import { stricter, type ChangeKind, type FreezeLevel } from '#domain/freeze/change-kind.ts';
import { bundleScope } from '#domain/freeze/change-scope.ts';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import {
  createOverride,
  OVERRIDE_DECISION_TIMEOUT_MS,
  type Override,
  type OverrideRequest,
} from '#domain/overrides/override.ts';
import { requireAllowed, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { requireEnvironment } from '../environments/environment-context.ts';
import { tryEdge } from './workflow-edge.ts';

const newId = (): string => `ovr-${randomBytes(6).toString('hex')}`;

/**
 * `POST /overrides`: the scope (a pushed bundle's namespaces, or change kinds over every namespace), the
 * strictest level in force for it now (hard when nothing applies yet: an override requested ahead of a
 * freeze must pass any window), routing, then the request and its approval workflow.
 */
export const requestOverride = async (
  deps: Deps,
  caller: Caller & { stored: NonNullable<Caller['stored']> },
  request: OverrideRequest,
): Promise<Override> => {
  const { catalog } = caller.stored;
  requireEnvironment(catalog, request.environment);
  let scope: { namespaces: string[]; teams?: string[] } = { namespaces: [] };
  let kinds: ChangeKind[] = request.changeKinds ?? ['deploy'];
  if (request.bundle !== undefined) {
    const at = request.bundle.lastIndexOf('@');
    const stored = await deps.store.bundles.getBundle(
      request.bundle.slice(0, at),
      request.bundle.slice(at + 1),
    );
    if (!stored) throw notFound(`Bundle ${request.bundle} has not been pushed.`, { bundle: request.bundle });
    scope = bundleScope(catalog, stored.sealed.bundle);
    kinds = ['deploy'];
  }
  requireAllowed(caller, 'override:request', { namespaces: scope.namespaces });
  const compiled = compileWindows(await deps.store.freezes.listWindows());
  const query = { environment: request.environment, ...(request.bundle === undefined ? {} : scope) };
  const level = kinds
    .map((kind) => compiled.status({ ...query, kind }, caller.at).level)
    .reduce<FreezeLevel | null>(stricter, null);
  const context = {
    id: newId(),
    requester: caller.principal,
    at: caller.at,
    level: level ?? 'hard',
    namespaces: scope.namespaces,
  };
  const created = createOverride(request, context, catalog);
  if (!created.ok)
    throw validationFailed('The override cannot be routed to enough approvers.', created.problems);
  await deps.store.overrides.create(created.override, caller);
  await tryEdge('start', () =>
    deps.workflows.start({
      workflow: 'override-approval',
      name: created.override.id,
      input: { overrideId: created.override.id, decisionTimeoutSeconds: OVERRIDE_DECISION_TIMEOUT_MS / 1000 },
    }),
  );
  return created.override;
};
