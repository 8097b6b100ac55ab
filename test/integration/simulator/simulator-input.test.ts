import { describe, expect, it } from 'vitest';
import type { ConvoyError } from '#domain/core/errors.ts';
import { simulateRollout } from '#local/rollout-simulator.ts';
import { sessionTtl } from '../../fixtures/bundles.ts';
import { fixtureCatalog, standard, START } from './support.ts';

/**
 * Bad input fails before any engine starts: the engine given is unreachable, so reaching it would fail
 * with a network error instead of the problems. Every problem of every document is reported at once.
 */
const nowhere = { endpoint: 'http://127.0.0.1:9' };

const failure = async (options: Partial<Parameters<typeof simulateRollout>[0]>): Promise<ConvoyError> => {
  const error = await simulateRollout({
    strategy: standard(),
    scenario: {},
    bundle: { document: sessionTtl },
    catalog: { document: fixtureCatalog },
    start: START,
    engine: nowhere,
    ...options,
  }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeDefined();
  return error as ConvoyError;
};

const codesAt = (error: ConvoyError) => error.problems.map((p) => `${p.path} ${p.code}`);

describe('simulator input', () => {
  it('reports every problem of the strategy, the scenario and the bundle at once', async () => {
    const error = await failure({
      strategy: {
        ...standard(),
        phases: [
          { name: 'dev', environments: ['dev'], bake: 'PT30S' },
          { name: 'asia', environments: ['prod-ap'], bake: 'PT1H' },
        ],
      },
      scenario: {
        alarms: [{ alarm: 'dev-5xx-rate', state: 'ALARM', from: 'PT1H', to: 'PT10M' }],
        approvals: [{ phase: 'stagin', at: 'PT25M', decision: 'approve', by: 'olivia' }],
        monitoring: [{ from: 'soon' }],
        weather: 'rain',
      },
      bundle: { document: { ...sessionTtl, changes: [], team: 42 } },
    });
    expect(error.code).toBe('validation-failed');
    expect(codesAt(error)).toEqual(
      expect.arrayContaining([
        'strategy.phases[1].environments[0] strategy.unknown-environment',
        expect.stringMatching(/^strategy\.phases\[0\]\S* strategy\./),
        'scenario.alarms[0].to scenario.empty-interval',
        expect.stringMatching(/^scenario\.monitoring\[0\]\.from /),
        expect.stringMatching(/^scenario\.weather /),
        expect.stringMatching(/^bundle\.team /),
      ]),
    );
  });

  it('checks the scenario against the strategy: approvals name its phases', async () => {
    const error = await failure({
      scenario: { approvals: [{ phase: 'stagin', at: 'PT25M', decision: 'approve', by: 'olivia' }] },
    });
    expect(codesAt(error)).toEqual(['scenario.approvals[0].phase scenario.unknown-phase']);
    expect(error.problems[0]?.message).toContain('did you mean "staging"');
  });

  it('refuses an invalid catalog, naming its problems', async () => {
    const error = await failure({ catalog: { document: { environments: [] } } });
    expect(error.code).toBe('validation-failed');
    expect(codesAt(error).every((line) => line.startsWith('catalog'))).toBe(true);
  });

  it('reads { name } from the catalog strategies, and names the known ones when there is none', async () => {
    const error = await failure({ strategy: { name: 'standard' } });
    expect(error).toMatchObject({ code: 'not-found', context: { strategy: 'standard', known: [] } });
    const withStrategy = { ...fixtureCatalog, strategies: [{ ...standard(), name: 'standard', phases: [] }] };
    const invalid = await failure({ catalog: { document: withStrategy }, strategy: { name: 'standard' } });
    expect(invalid.code).toBe('validation-failed');
  });

  it('refuses a catalog in which no one may start a rollout', async () => {
    const error = await failure({
      catalog: { document: { ...fixtureCatalog, roles: [{ principal: '*', roles: ['release-manager'] }] } },
    });
    expect(codesAt(error)).toEqual(['catalog.roles catalog.no-release-manager']);
  });

  it('fails, cleaning up, when the engine given cannot be reached', async () => {
    const error = await failure({});
    expect(error).toBeInstanceOf(Error);
    expect('code' in error && error.code === 'validation-failed').toBe(false);
  });

  it('reports a document that is no object at all, and starts now when no start is given', async () => {
    const error = await failure({ strategy: 42, scenario: null, start: undefined });
    expect(codesAt(error)).toEqual([
      expect.stringMatching(/^strategy /),
      expect.stringMatching(/^scenario /),
    ]);
  });

  it('refuses a bundle reference without the API, and a start that is no instant', async () => {
    expect(await failure({ bundle: { ref: 'identity-session@2' } })).toMatchObject({ code: 'bad-request' });
    expect(await failure({ start: 'tomorrow' })).toMatchObject({ code: 'bad-request' });
  });
});
