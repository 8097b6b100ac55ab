import type { ReleaseManifest } from './manifest.ts';
import type { PushedBundle } from './release-bundles.ts';
import type { ReleaseState } from './release-state.ts';

/** Every release there is: the labels of pushed bundles and the defined manifests, sorted, once each. */
export const releaseNames = (
  pushed: readonly Pick<PushedBundle, 'release'>[],
  manifests: readonly Pick<ReleaseManifest, 'name'>[],
): string[] => [...new Set([...pushed.map((b) => b.release), ...manifests.map((m) => m.name)])].sort();

/** A release as `convoy release list` (and `GET /releases`) shows it. */
export interface ReleaseSummary {
  release: string;
  targetDate: string | null;
  bundles: number;
  teams: string[];
  progress: ReleaseState['progress'];
  /** Environments holding some but not all of it. */
  partial: string[];
  signedOff: boolean;
  ready: boolean;
}

export const releaseSummary = (state: ReleaseState): ReleaseSummary => ({
  release: state.release,
  targetDate: state.manifest?.targetDate ?? null,
  bundles: state.bundles.length,
  teams: state.teams,
  progress: state.progress,
  partial: state.environments.filter((e) => e.status === 'partial').map((e) => e.environment),
  signedOff: state.signoffs.complete,
  ready: state.readiness.ready,
});
