import type { Bundle, SealedBundle } from '#domain/bundles/bundle.ts';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { parseDocument } from '#domain/core/document.ts';
import type { JsonValue } from '#domain/core/json.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { BundleResponse } from '#api/bundles.ts';
import { segment, type ApiClient } from '#api/client.ts';
import type { EnvironmentStatus } from '#api/environments.ts';
import { CliError, exitCodes } from './exit-codes.ts';
import type { InputFile } from './read-input.ts';

export interface ValidationOutcome {
  ok: boolean;
  problems: Problem[];
  /** How it was checked: offline against a catalog file, by the API (pushed bundle), or locally against the API's state. */
  checkedBy: 'catalog-file' | 'api' | 'api-state';
  environment?: string;
}

/** The bundle document, parsed and checked for shape; problems when it is not a bundle at all. */
const bundleOf = (input: InputFile): { ok: true; bundle: Bundle } | { ok: false; problems: Problem[] } => {
  const parsed = parseDocument(input.text, input.format);
  return parsed.ok ? parseBundle(parsed.value) : parsed;
};

const requireEnvironment = (catalog: Catalog, environment: string | undefined): void => {
  if (environment === undefined || catalog.environments.some((e) => e.name === environment)) return;
  const known = catalog.environments.map((e) => e.name).join(', ');
  throw new CliError(`Environment ${environment} is not in the catalog.`, exitCodes.usage, {
    hint: `Pick one of: ${known}.`,
  });
};

/** Offline (CI before pushing): the catalog comes from a file; environment rules need the API. */
export const validateWithCatalogFile = (
  input: InputFile,
  catalogFile: InputFile,
  environment: string | undefined,
): ValidationOutcome => {
  const parsedCatalog = parseDocument(catalogFile.text, catalogFile.format);
  const catalog = parsedCatalog.ok ? validateCatalog(parsedCatalog.value) : parsedCatalog;
  if (!catalog.ok) {
    throw new CliError(`${catalogFile.path} is not a valid catalog.`, exitCodes.usage, {
      problem: { problems: catalog.problems },
      hint: 'Fix the catalog file, or validate against the API by leaving out --catalog.',
    });
  }
  requireEnvironment(catalog.catalog, environment);
  const parsed = bundleOf(input);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, checkedBy: 'catalog-file' };
  const result = validateBundle(parsed.bundle, { catalog: catalog.catalog });
  return { ok: result.ok, problems: result.problems, checkedBy: 'catalog-file' };
};

/**
 * What validation needs to know about a live environment, from the API: deployed services, the
 * bundles in effect, the resolved configuration (standing in for the snapshot's values) and the
 * other bundles of the release.
 */
const environmentState = async (client: ApiClient, environment: string, bundle: Bundle) => {
  const { environments } = await client.call<{ environments: EnvironmentStatus[] }>('GET', '/environments');
  const view = environments.find((e) => e.name === environment);
  if (!view) throw new CliError(`Environment ${environment} is not in the catalog.`, exitCodes.usage);
  const [values, release] = await Promise.all([
    client.call<Record<string, JsonValue>>('GET', `/environments/${segment(environment)}/config`, {
      query: { format: 'json' },
    }),
    client.call<{ bundles: { name: string; version: string; hash: string }[] }>('GET', '/bundles', {
      query: { release: bundle.release },
    }),
  ]);
  const releaseBundles: SealedBundle[] = await Promise.all(
    release.bundles
      .filter((b) => !(b.name === bundle.name && b.version === bundle.version))
      .map(async (b) => {
        const view = await client.call<BundleResponse>(
          'GET',
          `/bundles/${segment(b.name)}/versions/${segment(b.version)}`,
        );
        return { bundle: view.bundle, hash: view.hash };
      }),
  );
  const snapshot: Snapshot = {
    values,
    bundles: view.bundles.map((ref) => {
      const at = ref.lastIndexOf('@');
      return { name: ref.slice(0, at), version: ref.slice(at + 1), hash: '' };
    }),
  };
  const services = Object.fromEntries(view.services.map((s) => [s.service, s.version]));
  return { snapshot, services, releaseBundles };
};

/**
 * Against the API: a pushed bundle (same content) is validated by the API itself; anything else is
 * validated here against the API's catalog and, with an environment, its live state.
 */
export const validateWithApi = async (
  client: ApiClient,
  input: InputFile,
  environment: string | undefined,
): Promise<ValidationOutcome> => {
  const parsed = bundleOf(input);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, checkedBy: 'api-state' };
  const { bundle } = parsed;
  const path = `/bundles/${segment(bundle.name)}/versions/${segment(bundle.version)}`;
  const pushed = await client.request('GET', path, { accept: [404] });
  const envPart = environment === undefined ? {} : { environment };
  if (
    pushed.status === 200 &&
    (JSON.parse(pushed.text) as { hash: string }).hash === sealBundle(bundle).hash
  ) {
    const result = await client.call<{ ok: boolean; problems: Problem[] }>('POST', `${path}/validate`, {
      query: { env: environment },
    });
    return { ok: result.ok, problems: result.problems, checkedBy: 'api', ...envPart };
  }
  const { catalog } = await client.call<{ catalog: Catalog }>('GET', '/catalog');
  requireEnvironment(catalog, environment);
  const state = environment === undefined ? {} : await environmentState(client, environment, bundle);
  const result = validateBundle(bundle, { catalog, ...envPart, ...state });
  return { ok: result.ok, problems: result.problems, checkedBy: 'api-state', ...envPart };
};
