import { describe, expect, it } from 'vitest';
import { overrideStatuses, type OverrideStatus } from '#domain/overrides/override.ts';
import { expiryOf, expiryReasons, type ExpiryReason } from '#domain/overrides/override-expiry.ts';
import { approved, pending } from './support/override.ts';

// Which status each expiry reason may end ('-' leaves the override as it is).
const table: Record<ExpiryReason, Partial<Record<OverrideStatus, true>>> = {
  'decision-timeout': { pending: true },
  'time-box-ended': { approved: true },
  'workflow-failed': { pending: true, approved: true },
};

const early = new Date('2026-12-24T11:00:00.000Z'); // before both deadlines
const late = new Date('2026-12-26T00:00:00.000Z'); // after both deadlines

describe('the override expiry table', () => {
  for (const reason of expiryReasons) {
    for (const status of overrideStatuses) {
      const ends = table[reason][status] === true;
      it(`${reason} ${ends ? 'expires' : 'leaves'} a ${status} override`, () => {
        const expiry = expiryOf(pending({ status }), reason, early);
        expect(expiry?.override.status).toBe(ends ? 'expired' : undefined);
      });
    }
  }

  it.each([
    [
      'a pending override before its decideBy expires now',
      pending(),
      'decision-timeout',
      early,
      early.toISOString(),
    ],
    [
      'a pending override past its decideBy expired at its decideBy',
      pending(),
      'decision-timeout',
      late,
      '2026-12-25T10:00:00.000Z',
    ],
    [
      'an approval before its time box ends expires now',
      approved(),
      'time-box-ended',
      early,
      early.toISOString(),
    ],
    [
      'an approval past its time box expired at expiresAt',
      approved(),
      'time-box-ended',
      late,
      '2026-12-24T12:30:00.000Z',
    ],
  ] as const)('%s', (_case, override, reason, now, expiredAt) => {
    expect(expiryOf(override, reason, now)).toEqual({
      override: { ...override, status: 'expired', expiredAt },
      expiredAt,
    });
  });
});
