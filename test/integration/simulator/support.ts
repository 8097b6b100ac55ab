import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { parse } from 'yaml';
import type { TimelineEntry } from '#domain/rollout/simulation-report.ts';
import type { StrategyInput } from '#domain/rollout/strategy.ts';
import { simulateRollout, type SimulateOptions, type SimulationRun } from '#local/rollout-simulator.ts';
import { sessionTtl } from '../../fixtures/bundles.ts';

/** The simulator tests' world: the fixture catalog, a bundle without requirements, a fixed start. */
export const START = '2026-12-01T09:00:00Z';
export const fixtureCatalog = parse(
  readFileSync(new URL('../../fixtures/catalog.yaml', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** Issue 4's standard strategy: dev → staging (approval) → prod-canary (prod-eu) → prod (prod-us). */
export const standard = (overrides: Partial<StrategyInput> = {}): StrategyInput => ({
  name: 'standard',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT15M', approval: true },
    { name: 'prod-canary', environments: ['prod-eu'], bake: 'PT30M' },
    { name: 'prod', environments: ['prod-us'], bake: 'PT1H' },
  ],
  health: { alarms: ['{env}-5xx-rate', '{env}-checkout-p99'], interval: 'PT1M' },
  ...overrides,
});

/** The standard strategy without its approval gate. */
export const ungated = (overrides: Partial<StrategyInput> = {}): StrategyInput => {
  const strategy = standard(overrides);
  return { ...strategy, phases: strategy.phases.map(({ approval: _approval, ...phase }) => phase) };
};

/** Simulate on the test run's DynamoDB Local, with the fixture catalog and bundle unless given. */
export const simulate = (
  options: Partial<SimulateOptions> & { scenario?: unknown },
): Promise<SimulationRun> =>
  simulateRollout({
    strategy: standard(),
    scenario: {},
    bundle: { document: sessionTtl },
    catalog: { document: fixtureCatalog },
    start: START,
    engine: { endpoint: inject('dynamoEndpoint') },
    ...options,
  });

/** `+HH:MM:SS event phase environment` lines of a timeline, for readable assertions. */
export const lines = (timeline: readonly TimelineEntry[], types?: readonly string[]): string[] =>
  timeline
    .filter((entry) => types === undefined || types.includes(entry.event))
    .map((entry) => [entry.offset, entry.event, entry.phase ?? '-', entry.environment ?? '-'].join(' '));

/** Exposure as `environment from→to rolledBack`. */
export const exposureOf = (run: SimulationRun): string[] =>
  run.exposure.map(
    (e) => `${e.environment} ${e.fromOffset}→${e.toOffset}${e.rolledBack ? ' rolled back' : ''}`,
  );
