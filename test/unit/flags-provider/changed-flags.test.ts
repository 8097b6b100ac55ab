import { describe, expect, it } from 'vitest';
import { buildFlagSet } from '#api/flags/flag-set.ts';
import { changedFlags } from '#flags-provider/changed-flags.ts';
import { fixtureFlagSet } from '../api/flags/fixtures.ts';

const set = fixtureFlagSet();
const next = (change: (flags: typeof set.flags, segments: typeof set.segments) => void) => {
  const copy = structuredClone({ flags: set.flags, segments: set.segments });
  change(copy.flags, copy.segments);
  return buildFlagSet({ environment: 'prod', version: 8, ...copy });
};

describe('changedFlags', () => {
  it.each([
    ['nothing', next(() => undefined), []],
    [
      'a definition',
      next((f) => {
        f['checkout.static']!.enabled = false;
      }),
      ['checkout.static'],
    ],
    [
      'an added flag',
      next((f) => {
        f['new.flag'] = { ...f['checkout.static']! };
      }),
      ['new.flag'],
    ],
    [
      'a removed flag',
      next((f) => {
        delete f['checkout.killed'];
      }),
      ['checkout.killed'],
    ],
    [
      'a segment, for the flags using it',
      next((_, s) => {
        s['eu']!.constraints = [];
      }),
      ['checkout.by-account', 'checkout.targeted'],
    ],
    [
      'an unused segment, for none',
      next((_, s) => {
        s['unused'] = { constraints: [] };
      }),
      [],
    ],
    [
      'a removed segment',
      next((_, s) => {
        delete s['beta-testers'];
      }),
      ['checkout.targeted'],
    ],
  ])('%s', (_, after, expected) => {
    expect(changedFlags(set, after)).toEqual(expected);
  });
});
