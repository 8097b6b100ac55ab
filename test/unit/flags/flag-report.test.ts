import { describe, expect, it } from 'vitest';
import { booleanFlag } from '../../support/flags.ts';
import { defaultFlagReportThresholds, flagReport } from '#domain/flags/flag-report.ts';
import type { FlagFinding, FlagReportFlag, FlagReportInput } from '#domain/flags/flag-report.ts';

const at = '2026-12-06T12:00:00Z';
const daysAgo = (days: number): string => new Date(Date.parse(at) - days * 86_400_000).toISOString();
const hourAgo = (days: number): string => daysAgo(days).slice(0, 13);
const bool = booleanFlag;

const flag = (over: Partial<FlagReportFlag> = {}): FlagReportFlag => ({
  key: 'a.flag',
  definition: bool(),
  lastChange: { deployment: 'dpl-prod-1', bundle: 'b@1', principal: 'alice', at: daysAgo(40) },
  requirements: { met: true },
  counts: [
    { hour: hourAgo(1), variant: 'on', reason: 'STATIC', count: 500 },
    { hour: hourAgo(2), variant: 'off', reason: 'SPLIT', count: 500 },
  ],
  peers: [],
  ...over,
});

const input = (flags: FlagReportFlag[], over: Partial<FlagReportInput> = {}): FlagReportInput => ({
  environment: 'prod',
  at,
  since: daysAgo(30),
  thresholds: defaultFlagReportThresholds,
  flags,
  evaluatedAnywhere: ['a.flag'],
  rolloutEnvironments: [],
  ...over,
});

const findingsOf = (f: FlagReportFlag, over: Partial<FlagReportInput> = {}): FlagFinding[] =>
  flagReport(input([f], over)).flags[0]!.findings;

const dominant = [
  { hour: hourAgo(1), variant: 'on', reason: 'STATIC', count: 9990 },
  { hour: hourAgo(1), variant: 'off', reason: 'SPLIT', count: 10 },
];

describe('flagReport findings', () => {
  it.each<[string, Partial<FlagReportFlag>, Partial<FlagReportInput>, FlagFinding[]]>([
    ['a healthy flag has none', {}, {}, []],
    [
      'stale: unchanged 40 days, one variant at 99.9%',
      { counts: dominant },
      {},
      [{ kind: 'stale', reason: 'dominant-variant', variant: 'on', share: 0.999, unchangedDays: 40 }],
    ],
    [
      'not stale: changed 10 days ago',
      { counts: dominant, lastChange: { deployment: 'd', principal: 'p', at: daysAgo(10) } },
      {},
      [],
    ],
    [
      'not stale: 99.8% is under the threshold',
      {
        counts: [
          { ...dominant[0]!, count: 998 },
          { ...dominant[1]!, count: 2 },
        ],
      },
      {},
      [],
    ],
    [
      'stale with a lower threshold option',
      {
        counts: [
          { ...dominant[0]!, count: 998 },
          { ...dominant[1]!, count: 2 },
        ],
      },
      { thresholds: { ...defaultFlagReportThresholds, dominantShare: 0.99 } },
      [{ kind: 'stale', reason: 'dominant-variant', variant: 'on', share: 0.998, unchangedDays: 40 }],
    ],
    [
      'stale: no change in the history read counts as old',
      { counts: dominant, lastChange: undefined },
      {},
      [{ kind: 'stale', reason: 'dominant-variant', variant: 'on', share: 0.999, unchangedDays: null }],
    ],
    [
      'stale: not evaluated for 7 days',
      { counts: [{ hour: hourAgo(8), variant: 'on', reason: 'STATIC', count: 3 }] },
      {},
      [{ kind: 'stale', reason: 'unused', unusedDays: 7 }],
    ],
    [
      'not stale: unused but defined 3 days ago',
      { counts: [], lastChange: { deployment: 'd', principal: 'p', at: daysAgo(3) } },
      {},
      [],
    ],
    [
      'inert: requirements unmet',
      { requirements: { met: false, unmet: [{ service: 'api', range: '>=2', running: '1.4.0' }] } },
      {},
      [{ kind: 'inert', unmet: [{ service: 'api', range: '>=2', running: '1.4.0' }] }],
    ],
    [
      'orphaned: prerequisite of nothing, evaluated nowhere',
      {},
      { evaluatedAnywhere: [] },
      [{ kind: 'orphaned' }],
    ],
    [
      'drift: differs from another environment of the path',
      {
        peers: [
          { environment: 'staging', definition: bool({ enabled: false }) },
          { environment: 'dev', definition: bool() },
          { environment: 'qa' },
        ],
      },
      {},
      [{ kind: 'drift', environments: ['staging'] }],
    ],
    [
      'no drift against an environment a rollout is changing',
      { peers: [{ environment: 'staging', definition: bool({ enabled: false }) }] },
      { rolloutEnvironments: ['staging'] },
      [],
    ],
    [
      'no drift against an environment where a rollout ramps this flag',
      { peers: [{ environment: 'staging', definition: bool({ enabled: false }) }] },
      { rampingFlags: [{ environment: 'staging', flag: 'a.flag' }] },
      [],
    ],
    [
      'no drift while a rollout ramps this flag here',
      { peers: [{ environment: 'staging', definition: bool({ enabled: false }) }] },
      { rampingFlags: [{ environment: 'prod', flag: 'a.flag' }] },
      [],
    ],
    [
      'drift still reported where a rollout ramps another flag',
      { peers: [{ environment: 'staging', definition: bool({ enabled: false }) }] },
      {
        rampingFlags: [
          { environment: 'prod', flag: 'b.other' },
          { environment: 'staging', flag: 'b.other' },
        ],
      },
      [{ kind: 'drift', environments: ['staging'] }],
    ],
    [
      'no drift while a rollout changes this environment',
      { peers: [{ environment: 'staging', definition: bool({ enabled: false }) }] },
      { rolloutEnvironments: ['prod'] },
      [],
    ],
  ])('%s', (_name, over, inputOver, expected) => {
    expect(findingsOf(flag(over), inputOver)).toEqual(expected);
  });

  it('a prerequisite is not orphaned; state, variants, shares and summary', () => {
    const report = flagReport(
      input(
        [
          flag({
            key: 'b.child',
            definition: bool({ prerequisites: [{ flag: 'a.parent', variants: ['on'] }] }),
          }),
          flag({ key: 'a.parent', definition: bool({ killed: true }) }),
          flag({
            key: 'c.off',
            definition: bool({ enabled: false }),
            counts: [{ hour: hourAgo(1), reason: 'ERROR', count: 2 }],
          }),
        ],
        { evaluatedAnywhere: ['b.child'] },
      ),
    );
    expect(report.flags.map((f) => [f.key, f.state, f.findings.map((x) => x.kind)])).toEqual([
      ['a.parent', 'killed', []],
      ['b.child', 'enabled', []],
      ['c.off', 'disabled', ['orphaned']],
    ]);
    expect(report.flags[0]!.variants).toEqual([
      { variant: 'off', count: 500, share: 0.5 },
      { variant: 'on', count: 500, share: 0.5 },
    ]);
    expect(report.flags[2]).toMatchObject({ evaluations: 2, variants: [] });
    expect(report.summary).toEqual({ flags: 3, stale: 0, inert: 0, orphaned: 1, drift: 0 });
  });

  it('counts only the hours of the period in variants served', () => {
    const f = flag({
      counts: [...flag().counts, { hour: hourAgo(45), variant: 'on', reason: 'STATIC', count: 99 }],
    });
    expect(flagReport(input([f])).flags[0]!.evaluations).toBe(1000);
  });
});
