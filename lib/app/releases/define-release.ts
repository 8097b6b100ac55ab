import { badRequest, forbidden, validationFailed } from '#domain/core/errors.ts';
import { isJsonObject } from '#domain/core/json.ts';
import { parseReleaseManifest, type ReleaseManifest } from '#domain/releases/manifest.ts';
import { canApprove } from '#domain/releases/signoff-rules.ts';
import { requireCatalog, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';

/**
 * `PUT /releases/{name}` (`convoy release define <file>`): a release manager defines what a release
 * must contain and when it ships. The manifest's name must be the one in the path; a repeat of the
 * same manifest writes nothing.
 */
export const defineRelease = async (
  deps: Deps,
  caller: Caller,
  name: string,
  document: unknown,
): Promise<{ manifest: ReleaseManifest; created: boolean; changed: boolean }> => {
  const { catalog } = requireCatalog(caller);
  const verdict = canApprove(catalog, caller.principal);
  if (!verdict.allowed) {
    throw forbidden(verdict.reason.replace('approves a release', 'defines a release'), {
      principal: caller.principal,
    });
  }
  if (!isJsonObject(document)) {
    const message = 'must be a release manifest object';
    throw badRequest(`The body ${message}.`, [{ code: 'manifest.not-an-object', path: 'body', message }]);
  }
  const parsed = parseReleaseManifest({ name, ...document });
  if (!parsed.ok) {
    const problems = parsed.problems.map((p) => ({ ...p, path: p.path ? `body.${p.path}` : 'body' }));
    throw validationFailed(
      `Invalid release manifest: ${problems.map((p) => p.message).join('; ')}`,
      problems,
    );
  }
  if (parsed.manifest.name !== name) {
    const message = `must be ${name}, the release named in the path`;
    throw badRequest(`The manifest's name ${message}.`, [
      { code: 'manifest.name', path: 'body.name', message },
    ]);
  }
  const result = await deps.store.releases.putManifest(parsed.manifest, caller);
  return { manifest: parsed.manifest, ...result };
};
