import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#domain/audit/event.ts';
import { signoffOverrideOf } from '#domain/compliance/signoff-overrides.ts';

const event = (extra: Partial<AuditEvent> = {}, detail: AuditEvent['detail'] = {}): AuditEvent => ({
  type: 'ReleaseDeployed',
  at: '2026-12-10T09:00:00Z',
  actor: 'convoy-rollout',
  subject: 'staging',
  chain: 'staging',
  seq: 4,
  prevHash: 'p',
  hash: 'h',
  detail: {
    deploymentId: 'dep-7',
    release: '2026.12-R1',
    signoffOverride: {
      principal: 'olivia',
      reason: 'INC-42',
      unsignedTeams: ['payments', 'search'],
      approved: false,
    },
    ...detail,
  },
  ...extra,
});

describe('a release deployed on a sign-off override, read from its audit event', () => {
  it('reads who overrode, who deployed, where, which release, the teams not signed off and why', () => {
    expect(signoffOverrideOf(event())).toEqual([
      {
        at: '2026-12-10T09:00:00Z',
        environment: 'staging',
        release: '2026.12-R1',
        deploymentId: 'dep-7',
        principal: 'olivia',
        deployedBy: 'convoy-rollout',
        unsignedTeams: ['payments', 'search'],
        approved: false,
        reason: 'INC-42',
      },
    ]);
  });

  it.each<[string, AuditEvent, number]>([
    ['a release deployed with every sign-off', event({}, { signoffOverride: null }), 0],
    ['a bundle deployed alone', event({ type: 'BundleDeployed' }), 0],
    ['a release rolled back', event({ type: 'ReleaseRolledBack' }), 0],
  ])('%s is no override', (_case, audited, count) => {
    expect(signoffOverrideOf(audited)).toHaveLength(count);
  });

  it('an event from before the teams were recorded, or malformed, reads as none and blanks', () => {
    const legacy = event(
      {},
      {
        deploymentId: 7,
        release: null,
        signoffOverride: {
          principal: 'olivia',
          reason: 'old',
          approved: 'yes',
          unsignedTeams: [1, 'search'],
        },
      },
    );
    expect(signoffOverrideOf(legacy)).toEqual([
      expect.objectContaining({ release: '', unsignedTeams: ['search'], approved: false }),
    ]);
    expect(signoffOverrideOf(legacy)[0]).not.toHaveProperty('deploymentId');
    const older = event({}, { signoffOverride: { principal: 'olivia' } });
    expect(signoffOverrideOf(older)[0]).toMatchObject({ unsignedTeams: [], reason: '', approved: false });
  });
});
