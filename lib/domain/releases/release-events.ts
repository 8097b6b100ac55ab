import type { AuditDraft } from '../audit/event.ts';
import { formatBundleRef } from '../core/names.ts';
import type { ReleaseManifest } from './manifest.ts';
import type { Approval, Signoff } from './signoff.ts';

/** Audit drafts for the release steps that are not HEAD flips (deploy-plan.ts and rollback-plan.ts have theirs). */

/** `convoy release define <file>`: the release is the subject; the manifest as defined is the detail. */
export const releaseDefinedEvent = (manifest: ReleaseManifest, actor: string, at: string): AuditDraft => ({
  type: 'ReleaseDefined',
  at,
  actor,
  subject: manifest.name,
  detail: {
    targetDate: manifest.targetDate,
    owner: manifest.owner,
    bundles: manifest.bundles.map((b) =>
      b.version === undefined ? b.name : formatBundleRef({ name: b.name, version: b.version }),
    ),
    strategy: manifest.strategy ?? null,
  },
});

const covered = (record: Pick<Signoff, 'covers'>) => ({
  bundles: record.covers.map(formatBundleRef),
  hashes: record.covers.map((b) => b.hash),
});

/** A team's sign-off, with the bundle versions and hashes it covers. */
export const releaseSignedOffEvent = (signoff: Signoff): AuditDraft => ({
  type: 'ReleaseSignedOff',
  at: signoff.at,
  actor: signoff.principal,
  subject: signoff.release,
  detail: { team: signoff.team, note: signoff.note ?? null, ...covered(signoff) },
});

/** A release manager's approval, over every bundle of the release. */
export const releaseApprovedEvent = (approval: Approval): AuditDraft => ({
  type: 'ReleaseApproved',
  at: approval.at,
  actor: approval.principal,
  subject: approval.release,
  detail: { note: approval.note ?? null, ...covered(approval) },
});
