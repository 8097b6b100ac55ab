import type { AuditEvent } from '#domain/audit/event.ts';
import { formatBundleRef } from '#domain/core/names.ts';
import {
  partialCauses,
  RELEASE_EVENT_SOURCE,
  releaseNotificationOf,
  releasePartialNotification,
  type ReleaseNotification,
} from '#domain/releases/release-notification.ts';
import type { ConvoyEvent } from '#integrations/ports.ts';
import type { Deps } from '../deps.ts';
import { loadRelease } from './release-context.ts';

const onBus = (note: ReleaseNotification): ConvoyEvent => ({ source: RELEASE_EVENT_SOURCE, ...note });

/** The releases of the bundles a flip added, changed or removed (its snapshot before against after). */
const touchedReleases = async (deps: Deps, event: AuditEvent): Promise<string[]> => {
  const { previousSnapshot, snapshot } = event.detail;
  if (typeof previousSnapshot !== 'string' || typeof snapshot !== 'string') return [];
  const [before, after] = await Promise.all([
    deps.store.snapshots.getSnapshot(previousSnapshot),
    deps.store.snapshots.getSnapshot(snapshot),
  ]);
  const refs = (bundles: typeof before.bundles) =>
    new Set(bundles.map((b) => `${formatBundleRef(b)}#${b.hash}`));
  const [was, is] = [refs(before.bundles), refs(after.bundles)];
  const changed = [...before.bundles, ...after.bundles].filter((b) => {
    const ref = `${formatBundleRef(b)}#${b.hash}`;
    return was.has(ref) !== is.has(ref);
  });
  const stored = await Promise.all(changed.map((b) => deps.store.bundles.getBundle(b.name, b.version)));
  return [...new Set(stored.flatMap((b) => (b ? [b.release] : [])))].sort();
};

/** ReleasePartial for each release a bundle deploy or rollback left partly in its environment. */
const partialsAfter = async (deps: Deps, event: AuditEvent): Promise<ReleaseNotification[]> => {
  const releases = await touchedReleases(deps, event);
  const stored = releases.length === 0 ? undefined : await deps.store.catalogs.getCatalog();
  if (!stored) return [];
  const notes: ReleaseNotification[] = [];
  for (const release of releases) {
    const view = await loadRelease(deps, stored.catalog, release, event.at);
    const status = view.state.environments.find((e) => e.environment === event.subject);
    if (status?.status === 'partial') notes.push(releasePartialNotification(release, status, event));
  }
  return notes;
};

/**
 * Announce committed release steps on the `convoy` bus (source `convoy.release`): the lifecycle events
 * from their audit events, and ReleasePartial when a single bundle's deploy or rollback leaves an
 * environment holding part of a release. Fed by the audit outbox, so only what committed is announced;
 * a failed publish fails the call, and the outbox delivers the audit events again.
 */
export const announceReleaseEvents = async (
  deps: Deps,
  events: readonly AuditEvent[],
): Promise<ConvoyEvent[]> => {
  const announced: ConvoyEvent[] = [];
  for (const event of events) {
    const note = releaseNotificationOf(event);
    if (note) announced.push(onBus(note));
    else if ((partialCauses as readonly string[]).includes(event.type))
      announced.push(...(await partialsAfter(deps, event)).map(onBus));
  }
  if (announced.length > 0) await deps.events.publish(announced);
  return announced;
};
