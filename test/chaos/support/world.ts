import { sessionTtl } from '../../fixtures/bundles.ts';
import { createTestApi, type CallResult, type TestApi } from '../../support/api.ts';
import { freezeCatalogYaml, yearEnd } from '../../support/freeze.ts';
import { installFaults, outsideFaults } from './faults.ts';

/** The bundle every chaos case ships: identity-session@2 (ttl 3600 → 7200), no service requirements. */
export const BUNDLE = `${sessionTtl.name}@${sessionTtl.version}`;
export const BEFORE_FREEZE = '2026-11-23T10:00:00.000Z';
export const IN_YEAR_END = '2026-12-21T10:00:00.000Z';

export interface ChaosWorld {
  api: TestApi;
  /** A fresh environment (HEAD at its initial snapshot, never deployed), `prod-cNNN`. */
  fresh(): string;
  /** The config texts of the initial snapshot and of BUNDLE deployed on it (GET …/config). */
  texts: { initial: string; deployed: string };
  close(): Promise<void>;
}

const envName = (i: number): string => `prod-c${String(i).padStart(3, '0')}`;

/**
 * One table for the whole suite: the freeze catalog (its approvers) with `count` extra environments
 * `prod-c000…`, the fixture bundles pushed, the year-end freeze of `prod-*` stored (it applies only
 * while the clock is inside it), and the fault middleware installed (dormant outside `withFaults`).
 */
export const createChaosWorld = async (count: number): Promise<ChaosWorld> => {
  const api = await createTestApi();
  // A catalog may add at most 47 environments at once: grow it in steps.
  const names = Array.from({ length: count }, (_, i) => envName(i));
  for (let upTo = 40; upTo < count + 40; upTo += 40) {
    const extra = names
      .slice(0, upTo)
      .map((name) => `{ name: ${name} }`)
      .join(', ');
    const catalogYaml = freezeCatalogYaml.replace(
      /^environments: \[(.*)\]$/m,
      (_, listed: string) => `environments: [${listed}, ${extra}]`,
    );
    if (catalogYaml === freezeCatalogYaml) throw new Error('the fixture catalog changed shape');
    const catalog = await api.call('PUT', '/catalog', {
      raw: catalogYaml,
      headers: { 'content-type': 'application/yaml' },
    });
    if (catalog.status !== 200) throw new Error(`catalog: ${catalog.text}`);
    // Every calendar change bumps every environment's freeze guard in one transaction (at most ~97
    // environments): store the window while the catalog is still small.
    if (upTo === 40) {
      const freeze = await api.call('POST', '/freezes', { body: yearEnd });
      if (freeze.status !== 201) throw new Error(`freeze: ${freeze.text}`);
    }
  }
  const pushed = await api.call('POST', '/bundles', { body: sessionTtl });
  if (pushed.status !== 201) throw new Error(`push: ${pushed.text}`);
  installFaults(api.doc);

  let next = 0;
  const fresh = (): string => {
    if (next >= count) throw new Error(`the chaos world has only ${count} environments`);
    const name = envName(next);
    next += 1;
    return name;
  };
  // The two configurations any reader may see: learned on a scratch environment.
  const probe = fresh();
  const initial = (await config(api, probe)).text;
  const deployed = await api.call('POST', `/environments/${probe}/deployments`, { body: { bundle: BUNDLE } });
  if (deployed.status !== 201) throw new Error(`probe deploy: ${deployed.text}`);
  const texts = { initial, deployed: (await config(api, probe)).text };
  if (texts.initial === texts.deployed) throw new Error('the bundle changes nothing');
  return {
    api,
    fresh,
    texts,
    close: () => api.table.drop(),
  };
};

export const config = (api: TestApi, env: string): Promise<CallResult> =>
  outsideFaults(() => api.call('GET', `/environments/${env}/config`));

/** A client's retry policy: 5xx and 429 answers are retried with the very same request. */
export const isRetryable = (result: CallResult): boolean => result.status >= 500 || result.status === 429;
