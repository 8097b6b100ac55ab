import { describe, expect, it } from 'vitest';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { flagLinksOf } from '#domain/dependencies/flag-links.ts';
import { freezeHitsOf } from '#domain/dependencies/freeze-hits.ts';
import { runningRollouts } from '#domain/dependencies/running-rollouts.ts';
import { initialRolloutState } from '#domain/rollout/state.ts';
import { freezeWindowSchema } from '#domain/freeze/freeze-window.ts';

const window = (id: string, scope: object, start: string, end: string) =>
  freezeWindowSchema.parse({ id, name: id, scope, schedule: { start, end }, level: 'hard' });

describe('freezeHitsOf', () => {
  const hits = freezeHitsOf([
    window(
      'launch',
      { environments: ['prod-*'], namespaces: ['payments'] },
      '2026-11-26T08:00:00Z',
      '2026-11-26T20:00:00Z',
    ),
    window('later', { environments: ['prod-*'] }, '2027-02-01T00:00:00Z', '2027-02-02T00:00:00Z'),
    window('search', { teams: ['search'] }, '2026-11-20T00:00:00Z', '2026-11-30T00:00:00Z'),
  ]);
  const scope = {
    environments: ['dev', 'prod-eu'],
    namespaces: ['payments'],
    teams: ['payments'],
    from: new Date('2026-11-23T10:00:00Z'),
    to: new Date('2026-12-07T10:00:00Z'),
  };

  it('reports the windows covering one of the environments within the horizon, with their start', () => {
    expect(hits(scope)).toEqual([{ window: 'launch', startsAt: new Date('2026-11-26T08:00:00Z') }]);
  });

  it('an in-force window starts when its occurrence did; scopes that do not match are left out', () => {
    expect(hits({ ...scope, environments: ['dev'], teams: ['search'] })).toEqual([
      { window: 'search', startsAt: new Date('2026-11-20T00:00:00Z') },
    ]);
  });
});

describe('flagLinksOf', () => {
  const catalog = catalogSchema.parse({
    environments: [{ name: 'dev' }],
    teams: [{ name: 'payments' }],
    namespaces: [{ name: 'checkout', owner: 'payments' }],
    flags: [
      { key: 'checkout.new-flow', type: 'boolean' },
      { key: 'orphan.flag', type: 'boolean' },
    ],
  });

  it('links each flag to its key, its namespace owner and the prerequisites any environment names', () => {
    const definition = {
      type: 'boolean',
      enabled: true,
      prerequisites: [{ flag: 'orphan.flag', variants: ['on'] }],
    };
    const links = flagLinksOf(catalog, {
      dev: { 'checkout.new-flow': definition, 'orphan.flag': 'not a definition' },
    });
    expect(links).toEqual([
      {
        key: 'checkout.new-flow',
        team: 'payments',
        keys: ['checkout.new-flow'],
        prerequisites: ['orphan.flag'],
      },
      { key: 'orphan.flag', keys: ['orphan.flag'], prerequisites: [] },
    ]);
  });

  it('a catalog without flags has no flag links', () => {
    expect(flagLinksOf({ ...catalog, flags: undefined }, {})).toEqual([]);
  });
});

describe('runningRollouts', () => {
  const bundle = { name: 'checkout-timeouts', version: '3', hash: 'h' };
  const phases = [{ environments: ['dev'] }, { environments: ['staging', 'dev'] }];
  it('keeps rollouts not yet ended, with every environment of their strategy once', () => {
    const states = [
      { ...initialRolloutState(), id: 'r1', bundle, status: 'baking', strategy: { phases } },
      { ...initialRolloutState(), id: 'r2', bundle, status: 'succeeded' },
      { ...initialRolloutState(), id: 'r3', bundle: null, status: 'baking' },
      { ...initialRolloutState(), id: 'r4', bundle, status: 'baking', strategy: null },
    ] as never[];
    expect(runningRollouts(states)).toEqual([
      { id: 'r1', bundle: 'checkout-timeouts@3', environments: ['dev', 'staging'] },
      { id: 'r4', bundle: 'checkout-timeouts@3', environments: [] },
    ]);
  });
});
