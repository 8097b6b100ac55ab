import type { GraphPath } from '#domain/dependencies/focus.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';

/** A change with everything in it: affected keys, services, conflicts, a freeze, sign-offs, a cycle. */
export const fullImpact: Impact = {
  unknown: ['payments.checkout.gone'],
  changed: ['payments.checkout.timeoutMs'],
  affected: [
    {
      id: 'key:payments.checkout.retryBudgetMs',
      path: ['key:payments.checkout.timeoutMs', 'key:payments.checkout.retryBudgetMs'],
    },
  ],
  flags: ['new-checkout'],
  services: [
    {
      service: 'checkout-api',
      team: 'payments',
      keys: ['payments.checkout.timeoutMs'],
      runs: [{ environment: 'prod-eu', version: '2.4.0' }],
    },
    { service: 'orphan', keys: ['payments.checkout.retryBudgetMs'], runs: [] },
  ],
  teams: ['payments', 'search'],
  environments: ['prod-eu', 'staging'],
  bundles: [
    {
      bundle: 'search-cache@2',
      team: 'search',
      sameKeys: ['payments.checkout.timeoutMs'],
      affectedKeys: [],
    },
    { bundle: 'anon@1', sameKeys: [], affectedKeys: ['payments.checkout.retryBudgetMs'] },
  ],
  rollouts: [
    {
      rollout: 'r-1',
      bundle: 'search-cache@2',
      environments: ['prod-eu'],
      keys: ['payments.checkout.timeoutMs'],
    },
  ],
  freezes: [
    { window: 'black-friday', startsAt: new Date('2026-11-27T00:00:00.000Z'), inDays: 3, active: false },
    { window: 'now', startsAt: new Date('2026-11-20T00:00:00.000Z'), inDays: 0, active: true },
  ],
  plan: {
    authors: ['payments'],
    signOff: ['search'],
    order: [
      {
        id: 'service:checkout-api',
        team: 'payments',
        after: [],
        unmet: [
          { environment: 'prod-eu', version: '2.4.0', ranges: ['>=2.5.0'] },
          { environment: 'staging', ranges: ['^2'] },
        ],
      },
      { id: 'bundle:checkout-timeouts@3', team: 'payments', after: ['service:checkout-api'] },
      { id: 'bundle:anon@1', after: [], unmet: [] },
    ],
    cycles: [['bundle:a@1', 'bundle:b@1', 'bundle:a@1']],
  },
  summary: 'HIGH risk: 1 key changed, 1 affected, 2 teams, 2 environments, 1 freeze in force',
};

/** Nothing to coordinate: no sign-off, no cycle. */
export const quietImpact: Impact = {
  unknown: [],
  changed: ['search.cache.ttl'],
  affected: [],
  flags: [],
  services: [],
  teams: ['search'],
  environments: [],
  bundles: [],
  rollouts: [],
  freezes: [],
  plan: {
    authors: ['search'],
    signOff: [],
    order: [{ id: 'bundle:search-cache@2', team: 'search', after: [] }],
    cycles: [],
  },
  summary: 'LOW risk: 1 key changed',
};

export const forwardPath: GraphPath = {
  nodes: ['team:payments', 'namespace:payments.checkout', 'key:payments.checkout.timeoutMs'],
  steps: [
    { edge: { from: 'team:payments', to: 'namespace:payments.checkout', kind: 'owns' }, forward: true },
    {
      edge: { from: 'namespace:payments.checkout', to: 'key:payments.checkout.timeoutMs', kind: 'contains' },
      forward: true,
    },
  ],
  directed: true,
};

export const mixedPath: GraphPath = {
  nodes: ['service:checkout-api', 'key:payments.checkout.timeoutMs', 'namespace:payments.checkout'],
  steps: [
    {
      edge: { from: 'service:checkout-api', to: 'key:payments.checkout.timeoutMs', kind: 'consumes' },
      forward: true,
    },
    {
      edge: { from: 'namespace:payments.checkout', to: 'key:payments.checkout.timeoutMs', kind: 'contains' },
      forward: false,
    },
  ],
  directed: false,
};
