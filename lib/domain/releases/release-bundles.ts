import type { BundleSummary, SealedBundle } from '../bundles/bundle.ts';
import { compareVersions } from '../bundles/release-conflicts.ts';
import type { ManifestBundle, ReleaseManifest } from './manifest.ts';

/** What selecting a release's bundles needs of a pushed bundle: a summary has it, so has a sealed one. */
export type PushedBundle = Pick<BundleSummary, 'name' | 'version' | 'release' | 'team' | 'hash'>;

export const pushedOf = ({ bundle, hash }: SealedBundle): PushedBundle => ({
  name: bundle.name,
  version: bundle.version,
  release: bundle.release,
  team: bundle.team,
  hash,
});

export interface ReleaseBundle extends PushedBundle {
  /** The manifest pins this version; otherwise it is the latest pushed. */
  pinned: boolean;
  /** The manifest lists this bundle; otherwise only its `release` label brings it in. */
  listed: boolean;
}

export interface MissingBundle extends ManifestBundle {
  /** Versions of it that were pushed with this release's label (a pin that matches none of them). */
  pushed: string[];
}

export interface ReleaseBundles {
  bundles: ReleaseBundle[];
  /** Bundles the manifest lists that are not pushed (or not at the pinned version). */
  missing: MissingBundle[];
  teams: string[];
}

/**
 * The bundles of a release: every pushed bundle labelled with it, the latest version of each name
 * unless the manifest pins one. Sorted by name; teams sorted and unique.
 */
export const releaseBundles = (
  release: string,
  pushed: readonly PushedBundle[],
  manifest?: ReleaseManifest,
): ReleaseBundles => {
  const versions = new Map<string, PushedBundle[]>();
  for (const candidate of pushed) {
    if (candidate.release !== release) continue;
    versions.set(candidate.name, [...(versions.get(candidate.name) ?? []), candidate]);
  }
  const listed = new Map((manifest?.bundles ?? []).map((entry) => [entry.name, entry]));
  const bundles: ReleaseBundle[] = [];
  const missing: MissingBundle[] = [];
  for (const entry of listed.values()) {
    const known = versions.get(entry.name) ?? [];
    const found = known.some((b) => entry.version === undefined || b.version === entry.version);
    if (!found) missing.push({ ...entry, pushed: known.map((b) => b.version).sort(compareVersions) });
  }
  for (const [name, known] of versions) {
    const pin = listed.get(name)?.version;
    const chosen =
      pin === undefined
        ? known.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a))
        : known.find((b) => b.version === pin);
    if (chosen) bundles.push({ ...chosen, pinned: pin !== undefined, listed: listed.has(name) });
  }
  bundles.sort((a, b) => a.name.localeCompare(b.name));
  missing.sort((a, b) => a.name.localeCompare(b.name));
  return { bundles, missing, teams: [...new Set(bundles.map((b) => b.team))].sort() };
};
