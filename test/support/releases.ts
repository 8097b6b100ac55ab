import type { SealedBundle } from '#domain/bundles/bundle.ts';
import {
  checkoutTimeouts,
  identitySession,
  releaseCatalog,
  searchRanking,
  services,
} from '../fixtures/releases/three-teams.ts';
import type { TestApi } from './api.ts';

/** Who pushes (and signs off) for each team of the three-team release. */
export const members: Record<string, string> = { identity: 'ivan', payments: 'priya', search: 'sam' };

const ok = (what: string, res: { status: number; text: string }): void => {
  if (res.status >= 300) throw new Error(`${what} failed (${res.status}): ${res.text}`);
};

/** Push a sealed bundle's document as a member of its team. */
export const pushAs = async (api: TestApi, sealed: SealedBundle): Promise<void> => {
  const res = await api.call('POST', '/bundles', { as: members[sealed.bundle.team], body: sealed.bundle });
  ok(`pushing ${sealed.bundle.name}`, res);
};

/**
 * The three-team world over the API: its catalog, the services running everywhere, and (unless told
 * otherwise) the three bundles of 2026.12-R1 pushed by their teams.
 */
export const seedReleaseWorld = async (
  api: TestApi,
  bundles: readonly SealedBundle[] = [identitySession(), checkoutTimeouts(), searchRanking()],
): Promise<void> => {
  ok('the catalog', await api.call('PUT', '/catalog', { body: releaseCatalog() }));
  const owners: Record<string, string> = {
    'session-api': 'ivan',
    'checkout-api': 'priya',
    'search-api': 'sam',
  };
  for (const env of ['dev', 'staging', 'prod']) {
    for (const [service, version] of Object.entries(services)) {
      const res = await api.call('PUT', `/environments/${env}/services/${service}`, {
        as: owners[service],
        body: { version },
      });
      ok(`reporting ${service}`, res);
    }
  }
  for (const sealed of bundles) await pushAs(api, sealed);
};
