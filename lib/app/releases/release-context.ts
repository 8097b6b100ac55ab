import type { BundleSummary, SealedBundle } from '#domain/bundles/bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { notFound } from '#domain/core/errors.ts';
import type { Problem } from '#domain/core/problem.ts';
import { occurrencesBetween } from '#domain/freeze/occurrences.ts';
import { planRelease } from '#domain/releases/coordination.ts';
import type { ReleaseEnvironment } from '#domain/releases/environment-status.ts';
import { releaseBundles } from '#domain/releases/release-bundles.ts';
import { releaseNames, releaseSummary, type ReleaseSummary } from '#domain/releases/release-list.ts';
import { inPlanOrder, type ReleasePlan } from '#domain/releases/release-plan.ts';
import { releaseState, type FreezeOccurrence, type ReleaseState } from '#domain/releases/release-state.ts';
import { signoffStatus, type SignoffStatus } from '#domain/releases/signoff.ts';
import { validateReleaseTogether } from '#domain/releases/validate-together.ts';
import type { StoredManifest } from '#store/ports.ts';
import type { Deps } from '../deps.ts';

const DAY_MS = 86_400_000;

/** A release as GET /releases/{name} shows it: its derived state, the plan and validation per environment. */
export interface ReleaseView {
  state: ReleaseState;
  plan: ReleasePlan;
  /** The release's bundles applied together to each environment's HEAD: every problem. */
  validation: Record<string, Problem[]>;
  /** The release's bundles, sealed, in plan order (for deploys and notes; not sent over the wire). */
  sealed: SealedBundle[];
}

/**
 * The sealed bundles the release selects (latest of each name unless the manifest pins one), or exactly
 * the `name@version` refs a caller pinned (a release rollout's, fixed when it started); 404 when a
 * pinned version is not among the release's bundles.
 */
const selected = async (
  deps: Deps,
  name: string,
  manifest: StoredManifest | undefined,
  pinned: readonly string[] | undefined,
): Promise<{ sealed: SealedBundle[]; pushed: BundleSummary[] }> => {
  const summaries = await deps.store.bundles.listBundles({ release: name });
  const wanted = new Set(
    pinned ??
      releaseBundles(name, summaries, manifest?.manifest).bundles.map((b) => `${b.name}@${b.version}`),
  );
  const all = wanted.size === 0 ? [] : await deps.store.bundles.releaseBundles(name);
  const sealed = all.filter((s) => wanted.has(`${s.bundle.name}@${s.bundle.version}`));
  if (pinned && sealed.length < wanted.size) {
    const found = new Set(sealed.map((s) => `${s.bundle.name}@${s.bundle.version}`));
    const gone = [...wanted].filter((ref) => !found.has(ref));
    throw notFound(`Release ${name} has no bundle ${gone.join(', ')}.`, { release: name, bundles: gone });
  }
  return { sealed, pushed: summaries };
};

/** Occurrences of every freeze window on the target day (UTC). */
const freezesOn = async (deps: Deps, day: string | undefined): Promise<FreezeOccurrence[]> => {
  if (day === undefined) return [];
  const from = Date.parse(`${day}T00:00:00Z`);
  const windows = await deps.store.freezes.listWindows();
  return windows.flatMap((w) =>
    occurrencesBetween(w.schedule, from, from + DAY_MS).map((o) => ({ id: w.id, name: w.name, ...o })),
  );
};

/** One environment's HEAD snapshot, services and deployments (undefined before its first deploy). */
const readEnvironment = async (deps: Deps, name: string) => {
  const head = await deps.store.environments.getHead(name);
  if (!head) return undefined;
  const [snapshot, services, deployments] = await Promise.all([
    deps.store.snapshots.getSnapshot(head.snapshot),
    deps.store.environments.listServices(name),
    deps.store.environments.listDeployments(name),
  ]);
  return { snapshot, services, deployments };
};

/** Environment reads shared by the releases of one list: each environment is read once. */
type EnvironmentReads = Map<string, ReturnType<typeof readEnvironment>>;

/**
 * Each environment's live bundles, deployments and (with `validate`) the release validated together
 * against it.
 */
const environmentsOf = async (
  deps: Deps,
  catalog: Catalog,
  sealed: readonly SealedBundle[],
  validate: boolean,
  reads: EnvironmentReads,
): Promise<{ environments: ReleaseEnvironment[]; validation: Record<string, Problem[]> }> => {
  const validation: Record<string, Problem[]> = {};
  const environments = await Promise.all(
    catalog.environments.map(async ({ name }): Promise<ReleaseEnvironment> => {
      const read = reads.get(name) ?? readEnvironment(deps, name);
      reads.set(name, read);
      const found = await read;
      if (!found) return { name, live: [] };
      const { snapshot, services, deployments } = found;
      if (validate && sealed.length > 0) {
        const versions = Object.fromEntries(services.map((s) => [s.service, s.version]));
        validation[name] = validateReleaseTogether(sealed, name, catalog, {
          snapshot,
          services: versions,
        }).problems;
      }
      return { name, live: snapshot.bundles, deployments };
    }),
  );
  return { environments, validation };
};

/** What every release use case starts from: its manifest, pushed bundles, selected bundles and plan. */
export interface ReleaseCore {
  release: string;
  manifest?: StoredManifest;
  pushed: BundleSummary[];
  /** The bundles the release selects, sealed, in plan order. */
  sealed: SealedBundle[];
  plan: ReleasePlan;
}

/**
 * The release's manifest, bundles and plan; 404 when neither a manifest nor a bundle names it. `pinned`
 * (`name@version` refs) selects exactly those versions instead of the latest.
 */
export const releaseCore = async (
  deps: Deps,
  catalog: Catalog,
  name: string,
  at: string,
  pinned?: readonly string[],
): Promise<ReleaseCore> => {
  const manifest = await deps.store.releases.getManifest(name);
  const { sealed: unordered, pushed } = await selected(deps, name, manifest, pinned);
  if (!manifest && pushed.length === 0) {
    throw notFound(`Release ${name} has no manifest and no bundle labelled with it.`, { release: name });
  }
  const plan = planRelease(catalog, unordered, new Date(at));
  const sealed = inPlanOrder(
    unordered.map((s) => ({ name: s.bundle.name, sealed: s })),
    plan,
  ).map((s) => s.sealed);
  return { release: name, ...(manifest ? { manifest } : {}), pushed, sealed, plan };
};

/** Who signed the release off, judged against its bundles as they are now. */
export const releaseSignoffs = async (deps: Deps, core: ReleaseCore): Promise<SignoffStatus> => {
  const { signoffs, approvals } = await deps.store.releases.listSignoffs(core.release);
  const bundles = core.sealed.map((s) => ({ name: s.bundle.name, version: s.bundle.version, hash: s.hash }));
  return signoffStatus(core.plan, bundles, signoffs, approvals);
};

/** What a read of releases computes: `validate` false skips validating the bundles together (cheap reads). */
export interface ReleaseReadOptions {
  validate?: boolean;
  /** Environments already read (by listReleases, for all its releases). */
  reads?: EnvironmentReads;
}

/**
 * Everything known about a release, derived at `at` (ISO) from what is stored; 404 when nothing names it.
 * Without validation, `validation` is empty and readiness leaves the rules out.
 */
export const loadRelease = async (
  deps: Deps,
  catalog: Catalog,
  name: string,
  at: string,
  options: ReleaseReadOptions = {},
): Promise<ReleaseView> => {
  const { manifest, pushed, sealed, plan } = await releaseCore(deps, catalog, name, at);
  const [{ environments, validation }, signoffs, freezes] = await Promise.all([
    environmentsOf(
      deps,
      catalog,
      sealed,
      options.validate ?? true,
      options.reads ?? (new Map() as EnvironmentReads),
    ),
    deps.store.releases.listSignoffs(name),
    freezesOn(deps, manifest?.manifest.targetDate),
  ]);
  const state = releaseState(
    {
      release: name,
      ...(manifest ? { manifest: manifest.manifest } : {}),
      pushed,
      environments,
      plan,
      signoffs: signoffs.signoffs,
      approvals: signoffs.approvals,
      freezes,
      validation,
    },
    at,
  );
  return { state, plan, validation, sealed };
};

/** Every release (bundle labels and manifests) with its state, as `convoy release list` shows it. */
export const listReleases = async (
  deps: Deps,
  catalog: Catalog,
  at: string,
  options: ReleaseReadOptions = {},
): Promise<ReleaseSummary[]> => {
  const [bundles, manifests] = await Promise.all([
    deps.store.bundles.listBundles(),
    deps.store.releases.listManifests(),
  ]);
  const names = releaseNames(
    bundles,
    manifests.map((m) => m.manifest),
  );
  const shared = { reads: new Map() as EnvironmentReads, ...options };
  const views = await Promise.all(names.map((name) => loadRelease(deps, catalog, name, at, shared)));
  return views.map((view) => releaseSummary(view.state));
};
