import { describe, expect, it } from 'vitest';
import type { EnvironmentStatus } from '#api/environments.ts';
import { flagCounts } from '#domain/flags/flag-counts.ts';
import { statusMatrix } from '#cli/actions/status.ts';

const flag = (over: Record<string, unknown>) => ({ type: 'boolean', enabled: true, ...over });
const env = (name: string, flags?: EnvironmentStatus['flags']): EnvironmentStatus => ({
  name,
  head: { version: 1, snapshot: 'h' },
  bundles: [],
  services: [],
  ...(flags === undefined ? {} : { flags }),
});

describe('flags beside bundles in convoy status', () => {
  it('counts the catalog flags a snapshot sets, by state', () => {
    const catalog = { flags: ['a.on', 'a.off', 'a.killed', 'a.broken', 'a.absent'].map((key) => ({ key })) };
    const values = {
      'a.on': flag({}),
      'a.off': flag({ enabled: false }),
      'a.killed': flag({ killed: true }),
      'a.broken': { type: 'nope' },
      'other.value': 3,
    };
    expect(flagCounts(catalog, values)).toEqual({ total: 3, enabled: 1, disabled: 1, killed: 1 });
    expect(flagCounts({}, values)).toEqual({ total: 0, enabled: 0, disabled: 0, killed: 0 });
  });

  it('adds enabled/disabled/killed rows per environment when any environment has flags', () => {
    const counts = { total: 3, enabled: 2, disabled: 0, killed: 1 };
    expect(statusMatrix([env('dev'), env('prod', counts)]).flags).toEqual([
      ['enabled', '0', '2'],
      ['disabled', '0', '0'],
      ['killed', '0', '1'],
    ]);
    expect(
      statusMatrix([env('dev'), env('prod', { total: 0, enabled: 0, disabled: 0, killed: 0 })]).flags,
    ).toEqual([]);
  });
});
