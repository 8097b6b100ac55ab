import type { AppliedBundle } from '../bundles/snapshot.ts';
import { formatBundleRef } from '../core/names.ts';
import type { DeploymentRecord } from '../environments/head.ts';
import { deploymentId } from '../environments/head.ts';
import type { PushedBundle } from './release-bundles.ts';
import { releaseEntry } from './rollback-plan.ts';

/** An environment as the release status reads it: the bundles of its live snapshot. */
export interface ReleaseEnvironment {
  name: string;
  live: readonly AppliedBundle[];
  /** Its deployment records (any order); lets the way back name the snapshot before the release. */
  deployments?: readonly DeploymentRecord[];
}

/** A release bundle in one environment: live, not there, or there at a version not in the release. */
export type BundleCell =
  | { name: string; state: 'live' }
  | { name: string; state: 'absent' }
  | { name: string; state: 'other-version'; live: string };

export type ReleaseCoverage = 'none' | 'partial' | 'complete';

/** A way out of a partial release, as data the CLI prints as a command. */
export type WayOut =
  | { kind: 'deploy-rest'; bundles: string[]; command: string }
  | {
      kind: 'roll-back';
      command: string;
      /** The snapshot live before the release's first bundle reached the environment, when known. */
      restores?: { snapshot: string; deployment: string | null };
    };

export interface EnvironmentStatus {
  environment: string;
  status: ReleaseCoverage;
  bundles: BundleCell[];
  /** Empty unless partial. */
  waysOut: WayOut[];
}

const cellOf = (bundle: PushedBundle, live: readonly AppliedBundle[]): BundleCell => {
  const there = live.find((b) => b.name === bundle.name);
  if (!there) return { name: bundle.name, state: 'absent' };
  if (there.version === bundle.version && there.hash === bundle.hash)
    return { name: bundle.name, state: 'live' };
  return { name: bundle.name, state: 'other-version', live: there.version };
};

/** `none` without any live bundle (an empty release included), `complete` with all, `partial` between. */
export const coverageOf = (cells: readonly BundleCell[]): ReleaseCoverage => {
  const live = cells.filter((c) => c.state === 'live').length;
  if (live === 0) return 'none';
  return live === cells.length ? 'complete' : 'partial';
};

/** The snapshot before the release entered the environment (releaseEntry): rolling back to it undoes the release. */
const beforeRelease = (
  environment: string,
  release: string,
  names: ReadonlySet<string>,
  deployments: readonly DeploymentRecord[],
): { snapshot: string; deployment: string | null } | undefined => {
  const first = releaseEntry(release, names, deployments);
  if (!first) return undefined;
  const previous = first.headVersion - 1;
  return {
    snapshot: first.previousSnapshot,
    deployment: previous > 0 ? deploymentId(environment, previous) : null,
  };
};

/** Which of the release's bundles are live in one environment, and the ways out when only some are. */
export const environmentStatus = (
  release: string,
  bundles: readonly PushedBundle[],
  environment: ReleaseEnvironment,
): EnvironmentStatus => {
  const cells = bundles.map((b) => cellOf(b, environment.live));
  const status = coverageOf(cells);
  if (status !== 'partial') return { environment: environment.name, status, bundles: cells, waysOut: [] };
  const rest = bundles.filter((_, i) => cells[i]?.state !== 'live').map(formatBundleRef);
  const restores = beforeRelease(
    environment.name,
    release,
    new Set(bundles.map((b) => b.name)),
    environment.deployments ?? [],
  );
  const env = `--env ${environment.name}`;
  return {
    environment: environment.name,
    status,
    bundles: cells,
    waysOut: [
      { kind: 'deploy-rest', bundles: rest, command: `convoy release deploy ${release} ${env}` },
      {
        kind: 'roll-back',
        command: `convoy release rollback ${release} ${env}`,
        ...(restores === undefined ? {} : { restores }),
      },
    ],
  };
};
