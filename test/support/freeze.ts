import { checkoutCurrency, checkoutTimeouts, sessionTtl } from '../fixtures/bundles.ts';
import { fixtureCatalogYaml, type TestApi } from './api.ts';

/**
 * The fixture catalog with enough approvers for overrides: more release managers (rita, ray), a second
 * member of each team (paula: payments, ian: identity).
 */
export const freezeCatalogYaml = `${fixtureCatalogYaml.trimEnd()}
  - { principal: rita, roles: [release-manager] }
  - { principal: ray, roles: [release-manager] }
  - { principal: paula, roles: ['team:payments'] }
  - { principal: ian, roles: ['team:identity'] }
`;

/** Year-end: a hard freeze of the prod environments, 20 Dec 2026 – 4 Jan 2027 (UTC). */
export const yearEnd = {
  id: 'year-end',
  name: 'Year-end freeze',
  scope: { environments: ['prod-*'] },
  schedule: { start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' },
  level: 'hard',
};

/** A soft freeze of the payments namespace on prod-eu during a launch (1 Dec 2026, 08:00–20:00 UTC). */
export const paymentsLaunch = {
  id: 'payments-launch',
  name: 'Payments launch',
  scope: { environments: ['prod-eu'], namespaces: ['payments'] },
  schedule: { start: '2026-12-01T08:00:00Z', end: '2026-12-01T20:00:00Z' },
  level: 'soft',
};

/** Weekend freeze of prod, Fri 18:00 → Mon 06:00 Europe/Berlin. */
export const weekend = {
  id: 'weekend',
  name: 'Weekend freeze',
  scope: { environments: ['prod-*'] },
  schedule: { rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18', duration: 'P2DT12H', timezone: 'Europe/Berlin' },
  level: 'hard',
};

/**
 * Seed: the freeze catalog (as olivia), the fixture bundles pushed, and checkout-api reported on every
 * environment so every bundle can deploy.
 */
export const seedFreezeWorld = async (api: TestApi): Promise<void> => {
  const catalog = await api.call('PUT', '/catalog', {
    raw: freezeCatalogYaml,
    headers: { 'content-type': 'application/yaml' },
  });
  if (catalog.status !== 200) throw new Error(`catalog: ${catalog.text}`);
  for (const bundle of [checkoutTimeouts, sessionTtl, checkoutCurrency]) {
    const pushed = await api.call('POST', '/bundles', { body: bundle });
    if (pushed.status !== 201) throw new Error(`push: ${pushed.text}`);
  }
  for (const env of ['dev', 'staging', 'prod-eu', 'prod-us']) {
    const report = await api.call('PUT', `/environments/${env}/services/checkout-api`, {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    if (report.status !== 200) throw new Error(`report: ${report.text}`);
  }
};

/** Set the injected clock. */
export const at = (api: TestApi, iso: string): void => {
  api.clock.now = new Date(iso);
};

/** Request and approve an override (as olivia, approved by rita and ivan unless told otherwise). */
export const approvedOverride = async (
  api: TestApi,
  body: Record<string, unknown>,
  options: { as?: string; approvers?: string[] } = {},
): Promise<string> => {
  const requested = await api.call('POST', '/overrides', { as: options.as ?? 'olivia', body });
  if (requested.status !== 201) throw new Error(`override request: ${requested.text}`);
  const id = requested.json.id as string;
  for (const approver of options.approvers ?? ['rita', 'ivan']) {
    const decided = await api.call('POST', `/overrides/${id}/approve`, { as: approver });
    if (decided.status !== 200) throw new Error(`approval by ${approver}: ${decided.text}`);
  }
  return id;
};

/** Push `checkout-hotfix@n` (payments) or `session-hotfix@n` (identity): small bundles of their own release. */
export const pushHotfix = async (
  api: TestApi,
  n: number,
  team: 'payments' | 'identity' = 'payments',
): Promise<string> => {
  const payments = team === 'payments';
  const bundle = {
    name: payments ? 'checkout-hotfix' : 'session-hotfix',
    version: String(n),
    release: payments ? '2026.12-HF' : '2026.12-HFI',
    team,
    changes: [
      payments
        ? { set: 'payments.checkout.timeoutMs', value: 1000 + n }
        : { set: 'identity.session.ttlSeconds', value: 600 + n },
    ],
  };
  const pushed = await api.call('POST', '/bundles', { as: payments ? 'priya' : 'ivan', body: bundle });
  if (pushed.status !== 201) throw new Error(`push hotfix: ${pushed.text}`);
  return `${bundle.name}@${bundle.version}`;
};

/** The HEAD version of an environment, straight from the store. */
export const headVersion = async (api: TestApi, env: string): Promise<number> =>
  (await api.store.environments.getHead(env))?.version ?? -1;

/** The `_freeze` audit events of a type. */
export const freezeEventsOf = async (api: TestApi, type: string) =>
  (await api.store.audit.listEvents({ chain: '_freeze' })).filter((e) => e.type === type);
