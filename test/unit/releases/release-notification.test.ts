import { describe, expect, it } from 'vitest';
import { chainEvent, chainStart, type AuditDraft } from '#domain/audit/event.ts';
import type { EnvironmentStatus } from '#domain/releases/environment-status.ts';
import { releaseNotificationOf, releasePartialNotification } from '#domain/releases/release-notification.ts';

const at = '2026-12-03T10:00:00.000Z';
const audit = (draft: Partial<AuditDraft>, chain = '_release') =>
  chainEvent(chain, chainStart, { type: 'X', at, actor: 'olivia', subject: 'R1', detail: {}, ...draft });

describe('release notifications', () => {
  it.each([
    // audit type, subject, detail, → release, environment
    ['ReleaseDefined', 'R1', { owner: 'olivia' }, 'R1', undefined],
    ['ReleaseSignedOff', 'R1', { team: 'payments' }, 'R1', undefined],
    ['ReleaseApproved', 'R1', {}, 'R1', undefined],
    ['ReleaseDeployed', 'prod', { release: 'R1', bundles: ['a@1'] }, 'R1', 'prod'],
    ['ReleaseRolledBack', 'prod', { release: 'R1' }, 'R1', 'prod'],
  ])('%s announces release %s', (type, subject, detail, release, environment) => {
    const note = releaseNotificationOf(audit({ type, subject, detail }));
    expect(note?.detailType).toBe(type);
    expect(note?.detail).toMatchObject({ ...detail, release, actor: 'olivia', at, audit: { seq: 1 } });
    expect(note?.detail.environment).toBe(environment);
  });

  it.each([
    ['another kind of event', { type: 'BundleDeployed', subject: 'prod' }],
    ['a flip that names no release', { type: 'ReleaseDeployed', subject: 'prod', detail: {} }],
  ])('announces nothing for %s', (_what, draft) => {
    expect(releaseNotificationOf(audit(draft))).toBeUndefined();
  });

  it('ReleasePartial names what is live, what is missing and the ways out', () => {
    const status: EnvironmentStatus = {
      environment: 'staging',
      status: 'partial',
      bundles: [
        { name: 'a', state: 'live' },
        { name: 'b', state: 'absent' },
        { name: 'c', state: 'other-version', live: 'c@1' },
      ],
      waysOut: [
        { kind: 'deploy-rest', bundles: ['b@2', 'c@2'], command: 'convoy release deploy R1 --env staging' },
        { kind: 'roll-back', command: 'convoy release rollback R1 --env staging' },
      ],
    };
    const cause = audit({ type: 'BundleDeployed', subject: 'staging' }, 'staging');
    expect(releasePartialNotification('R1', status, cause)).toEqual({
      detailType: 'ReleasePartial',
      detail: {
        release: 'R1',
        environment: 'staging',
        live: ['a'],
        missing: ['b', 'c'],
        waysOut: ['convoy release deploy R1 --env staging', 'convoy release rollback R1 --env staging'],
        actor: 'olivia',
        at,
        audit: { chain: 'staging', seq: 1, type: 'BundleDeployed' },
      },
    });
  });
});
