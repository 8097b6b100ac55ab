import { parse } from 'yaml';
import type { Deps } from '#app/deps.ts';
import { deployBundle } from '#app/deployments/change-environment.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../../support/api.ts';
import { createFakeAppConfig, type FakeAppConfig } from './fake-appconfig.ts';

/** prod-eu is bound by names, staging by ids; dev and prod-us are not bound. */
export const boundCatalog = (): Record<string, unknown> => {
  const catalog = parse(fixtureCatalogYaml) as { environments: Record<string, unknown>[] };
  const bindings: Record<string, unknown> = {
    'prod-eu': {
      application: 'convoy-shop',
      environment: 'prod-eu',
      profile: 'convoy-config',
      deploymentStrategy: 'linear',
    },
    staging: {
      application: 'app0shop',
      environment: 'env0stg',
      profile: 'prof0stg',
      deploymentStrategy: 'AppConfig.AllAtOnce',
    },
  };
  return {
    ...catalog,
    environments: catalog.environments.map((env) =>
      bindings[env.name as string] ? { ...env, appconfig: bindings[env.name as string] } : env,
    ),
  };
};

export interface AppConfigHarness {
  api: TestApi;
  fake: FakeAppConfig;
  deps(): Deps;
  catalog(): Promise<Catalog>;
  /** Push identity-session@<version> setting the session TTL. */
  push(version: number): Promise<void>;
  /** Commit a deploy the way the rollout workflow does: no publication (that is what is under test). */
  commit(environment: string, version: number): Promise<DeploymentRecord>;
}

export const createAppConfigHarness = async (): Promise<AppConfigHarness> => {
  const api = await createTestApi();
  const fake = createFakeAppConfig();
  api.deps.appconfig = fake.publisher();
  const applied = await api.call('PUT', '/catalog', { body: boundCatalog() });
  if (applied.status !== 200) throw new Error(`catalog: ${applied.text}`);
  const catalog = async (): Promise<Catalog> => {
    const stored = await api.store.catalogs.getCatalog();
    if (!stored) throw new Error('no catalog');
    return stored.catalog;
  };
  const push = async (version: number): Promise<void> => {
    const res = await api.call('POST', '/bundles', {
      body: {
        name: 'identity-session',
        version: String(version),
        release: '2026.12-R1',
        team: 'identity',
        changes: [{ set: 'identity.session.ttlSeconds', value: 3600 + version }],
      },
    });
    if (res.status !== 201) throw new Error(`push: ${res.text}`);
  };
  const commit = async (environment: string, version: number): Promise<DeploymentRecord> => {
    const stored = await api.store.catalogs.getCatalog();
    if (!stored) throw new Error('no catalog');
    const { deployment } = await deployBundle(
      api.deps,
      { environment, principal: 'olivia', at: api.clock.now.toISOString(), catalog: stored },
      { name: 'identity-session', version: String(version) },
    );
    return deployment;
  };
  return { api, fake, deps: () => api.deps, catalog, push, commit };
};
