import { bundleSchema, type SealedBundle } from '#domain/bundles/bundle.ts';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { freezeWindowSchema, type FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { badRequest, conflict, notFound, validationFailed } from '#domain/core/errors.ts';
import { bundleRefSchema, type BundleRef } from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { Scenario } from '#domain/rollout/scenario-schema.ts';
import { validateScenario } from '#domain/rollout/scenario.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import { createApiClient, segment, type ApiClient } from '#api/client.ts';

export type SimulationCatalog = { document: unknown } | { apiUrl: string; principal: string };
/** The rollout's unit: a bundle (by reference or document), or a release the API has (`{ release }`). */
export type SimulationBundle = { ref: string } | { document: unknown } | { release: string };

/** The current state of one environment, as the API reports it. */
export interface EnvironmentState {
  name: string;
  /** The HEAD snapshot hash. */
  snapshot: string;
  /** The bundles in effect, in the order they were applied (`name@version`). */
  bundles: string[];
  services: { service: string; version: string }[];
}

/** Everything a simulation needs, validated, before any engine starts. */
export interface SimulationInputs {
  catalog: Catalog;
  strategy: Strategy;
  scenario: Scenario;
  /** The bundle rolled out (absent for a release). */
  bundle?: SealedBundle;
  /** A release rolled out: every phase deploys all its bundles (as the API selects them) at once. */
  release?: { name: string; bundles: SealedBundle[] };
  /** The principal the API was read as (undefined for a catalog document). */
  principal: string | undefined;
  /** From the API: the environments the strategy touches, and the bundles behind their state. */
  environments: EnvironmentState[];
  bundles: SealedBundle[];
  /** From the API: its freeze calendar (a real window holds a simulated rollout as it would a real one). */
  windows: FreezeWindow[];
  /** Warnings of the strategy and the scenario (e.g. phases out of promotion order). */
  warnings: Problem[];
}

/** Problems of one document, their paths prefixed with it: `strategy.phases[1].bake`. */
const under = (document: string, problems: readonly Problem[]): Problem[] =>
  problems.map((p) => ({ ...p, path: p.path ? `${document}.${p.path}` : document }));

const isErrors = (problems: readonly Problem[]): boolean =>
  problems.some((p) => (p.severity ?? 'error') === 'error');

const checkedCatalog = (document: unknown): Catalog => {
  const result = validateCatalog(document);
  if (!result.ok) throw validationFailed('The catalog is invalid.', under('catalog', result.problems));
  return result.catalog;
};

/** `{ name }` reads the catalog's strategy of that name; anything else is a strategy document. */
const strategyDocument = (input: unknown, catalog: Catalog): unknown => {
  const keys = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  const name = (input as { name?: unknown } | null)?.name;
  if (keys.length !== 1 || typeof name !== 'string') return input;
  const found = catalog.strategies.find((s) => s.name === name);
  if (found) return found;
  const known = catalog.strategies.map((s) => s.name);
  throw notFound(`The catalog has no strategy ${name}; it has ${known.join(', ') || 'none'}.`, {
    strategy: name,
    known,
  });
};

const sealed = (document: unknown, what: string): { bundle?: SealedBundle; problems: Problem[] } => {
  const parsed = parseBundle(document);
  return parsed.ok
    ? { bundle: sealBundle(parsed.bundle), problems: [] }
    : { problems: under(what, parsed.problems) };
};

/** A bundle as the API has it (validated when it was pushed). */
const fetchBundle = async (client: ApiClient, ref: BundleRef): Promise<SealedBundle> => {
  const body = await client.call<{ bundle: unknown }>(
    'GET',
    `/bundles/${segment(ref.name)}/versions/${segment(ref.version)}`,
  );
  return sealBundle(bundleSchema.parse(body.bundle));
};

/**
 * A bundle document whose name@version the API has with other content could never be pushed
 * (bundles are immutable): refused, as the push would be.
 */
const checkUnpushed = async (client: ApiClient, sealed: SealedBundle): Promise<void> => {
  const { name, version } = sealed.bundle;
  const path = `/bundles/${segment(name)}/versions/${segment(version)}`;
  const response = await client.request('GET', path, { accept: [404] });
  const hash = response.status === 404 ? undefined : (JSON.parse(response.text) as { hash?: string }).hash;
  if (hash !== undefined && hash !== sealed.hash) {
    throw conflict(
      `${name}@${version} exists with other content (hash ${hash.slice(0, 12)}); a bundle never changes: give the document a new version.`,
      { existingHash: hash, pushedHash: sealed.hash },
    );
  }
};

const parseRef = (text: string): BundleRef => {
  const parsed = bundleRefSchema.safeParse(text);
  if (!parsed.success) throw badRequest(`"${text}" is not a bundle reference: it must be name@version.`);
  return parsed.data;
};

/** The environments the strategy touches, their state and the bundles behind it, from the API. */
const environmentStates = async (client: ApiClient, strategy: Strategy) => {
  const touched = new Set(strategy.phases.flatMap((phase) => phase.environments));
  const { environments } = await client.call<{
    environments: Array<EnvironmentState & { head: { snapshot: string } }>;
  }>('GET', '/environments');
  const states = environments
    .filter((env) => touched.has(env.name))
    .map(({ name, head, bundles, services }) => ({ name, snapshot: head.snapshot, bundles, services }));
  const refs = [...new Set(states.flatMap((env) => env.bundles))];
  const bundles = await Promise.all(refs.map((ref) => fetchBundle(client, parseRef(ref))));
  const { windows } = await client.call<{ windows: unknown[] }>('GET', '/freezes');
  return { environments: states, bundles, windows: windows.map((w) => freezeWindowSchema.parse(w)) };
};

/** The release's bundles as the API selects them (latest of each name unless its manifest pins one). */
const fetchRelease = async (client: ApiClient, name: string): Promise<SimulationInputs['release']> => {
  const state = await client.call<{ bundles: { name: string; version: string }[] }>(
    'GET',
    `/releases/${segment(name)}`,
  );
  return { name, bundles: await Promise.all(state.bundles.map((b) => fetchBundle(client, b))) };
};

/** The rollout's unit, read from the API (a reference, a release) or the sealed document. */
const unitOf = async (
  input: SimulationBundle,
  document: SealedBundle | undefined,
  client: ApiClient | undefined,
): Promise<Pick<SimulationInputs, 'bundle' | 'release'>> => {
  // Checked by the caller: a reference and a release come with the API.
  if ('release' in input) return { release: await fetchRelease(client as ApiClient, input.release) };
  if ('ref' in input) return { bundle: await fetchBundle(client as ApiClient, parseRef(input.ref)) };
  const bundle = document as SealedBundle;
  if (client) await checkUnpushed(client, bundle);
  return { bundle };
};

/**
 * Read and validate what a simulation runs: the catalog (a document, or the API's), the strategy
 * (`{ name }` of a catalog strategy, or a document), the scenario and the bundle. Every problem of
 * the strategy, the scenario and a bundle document is reported at once (`validation-failed`, paths
 * prefixed with the document). Seeding from the API also reads the current state of every environment
 * the strategy touches, and the freeze calendar. Nothing here starts an engine.
 */
export const resolveInputs = async (options: {
  strategy: unknown;
  scenario: unknown;
  bundle: SimulationBundle;
  catalog: SimulationCatalog;
}): Promise<SimulationInputs> => {
  const client =
    'apiUrl' in options.catalog
      ? createApiClient({ baseUrl: options.catalog.apiUrl, principal: options.catalog.principal })
      : undefined;
  const catalog = checkedCatalog(
    'document' in options.catalog
      ? options.catalog.document
      : (await (client as ApiClient).call<{ catalog: unknown }>('GET', '/catalog')).catalog,
  );
  const strategy = validateStrategy(strategyDocument(options.strategy, catalog), catalog);
  const scenario = validateScenario(
    options.scenario,
    strategy.strategy ? { strategy: strategy.strategy } : {},
  );
  const document =
    'document' in options.bundle ? sealed(options.bundle.document, 'bundle') : { problems: [] };
  const problems = [...under('strategy', strategy.problems), ...under('scenario', scenario.problems)];
  const all = [...problems, ...document.problems];
  if (!strategy.strategy || !scenario.scenario || isErrors(all))
    throw validationFailed('The simulation input is invalid.', all);
  if (!('document' in options.bundle) && !client)
    throw badRequest(
      'A bundle reference or a release needs the API to read it from: give a bundle file with a catalog file.',
    );
  const unit = await unitOf(options.bundle, document.bundle, client);
  const state = client
    ? await environmentStates(client, strategy.strategy)
    : { environments: [], bundles: [], windows: [] };
  return {
    catalog,
    strategy: strategy.strategy,
    scenario: scenario.scenario,
    ...unit,
    principal: 'principal' in options.catalog ? options.catalog.principal : undefined,
    ...state,
    warnings: problems,
  };
};
