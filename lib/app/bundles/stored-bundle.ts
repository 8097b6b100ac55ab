import { validateBundle, type ValidationResult } from '#domain/bundles/validate-bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { notFound } from '#domain/core/errors.ts';
import type { StoredBundle } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { loadEnvironmentContext, requireEnvironment } from '../environments/environment-context.ts';

export const requireBundle = async (deps: Deps, name: string, version: string): Promise<StoredBundle> => {
  const stored = await deps.store.bundles.getBundle(name, version);
  if (!stored)
    throw notFound(`Bundle ${name}@${version} has not been pushed.`, { bundle: `${name}@${version}` });
  return stored;
};

/** Validate a pushed bundle against the catalog and, when named, one environment's live state. */
export const validateStoredBundle = async (
  deps: Deps,
  catalog: Catalog,
  { sealed }: StoredBundle,
  environment: string | undefined,
): Promise<ValidationResult> => {
  if (environment === undefined) return validateBundle(sealed.bundle, { catalog });
  requireEnvironment(catalog, environment);
  const context = await loadEnvironmentContext(deps, environment, sealed.bundle.release);
  return validateBundle(sealed.bundle, { catalog, environment, ...context });
};
