import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { validationFailed } from '#domain/core/errors.ts';
import type { BundleSummary } from '#domain/bundles/bundle.ts';
import { requireAllowed, requireCatalog, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';

/** Parse, authorize (the caller may push this bundle), seal and store a bundle document. */
export const pushBundle = async (
  deps: Deps,
  caller: Caller,
  document: unknown,
): Promise<{ created: boolean; summary: BundleSummary }> => {
  requireCatalog(caller);
  const parsed = parseBundle(document);
  if (!parsed.ok) throw validationFailed('The bundle is invalid.', parsed.problems);
  requireAllowed(caller, 'bundle:push', { bundle: parsed.bundle });
  return deps.store.bundles.putBundle(sealBundle(parsed.bundle), {
    principal: caller.principal,
    at: caller.at,
  });
};
