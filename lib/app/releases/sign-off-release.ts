import { badRequest, forbidden } from '#domain/core/errors.ts';
import { canApprove, canSignOff } from '#domain/releases/signoff-rules.ts';
import { approvalFor, signoffFor, signoffStatus, type SignoffStatus } from '#domain/releases/signoff.ts';
import type { ReleaseSignoffRecord } from '#store/ports.ts';
import { requireCatalog, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { loadRelease } from './release-context.ts';

/** `POST /releases/{name}/signoffs`: a team's sign-off (`team`) or a release manager's approval (`approve`). */
export type SignoffRequest = { team: string; note?: string } | { approve: true; note?: string };

/**
 * Record a sign-off over the release's bundles as they are now (its scope in the plan, by version and
 * content hash), so a later change to one of them makes it stale. Only a member of the team signs for
 * it; only a release manager approves.
 */
export const signOffRelease = async (
  deps: Deps,
  caller: Caller,
  release: string,
  request: SignoffRequest,
): Promise<{ record: ReleaseSignoffRecord; signoffs: SignoffStatus }> => {
  const { catalog } = requireCatalog(caller);
  const view = await loadRelease(deps, catalog, release, caller.at);
  const { bundles } = view.state;
  if (bundles.length === 0) {
    const message = `release ${release} has no bundle to sign off yet`;
    throw badRequest(`Nothing to sign off: ${message}.`, [
      { code: 'release.empty', path: 'release', message },
    ]);
  }
  const base = {
    release,
    principal: caller.principal,
    at: caller.at,
    ...(request.note === undefined ? {} : { note: request.note }),
  };
  let record: ReleaseSignoffRecord;
  if ('team' in request) {
    const verdict = canSignOff(catalog, caller.principal, request.team, view.plan);
    if (!verdict.allowed)
      throw forbidden(verdict.reason, { principal: caller.principal, team: request.team });
    record = signoffFor({ ...base, team: request.team }, view.plan, bundles);
  } else {
    const verdict = canApprove(catalog, caller.principal);
    if (!verdict.allowed) throw forbidden(verdict.reason, { principal: caller.principal });
    record = approvalFor(base, bundles);
  }
  await deps.store.releases.addSignoff(record);
  const stored = await deps.store.releases.listSignoffs(release);
  return { record, signoffs: signoffStatus(view.plan, bundles, stored.signoffs, stored.approvals) };
};
